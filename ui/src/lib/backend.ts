// The views' one door to the shell: the typed commands of api.ts (owned by the
// shell engineer), each with a deadline so that no pending state lasts forever.
import * as api from './api';
import { withTimeout } from './errors';

/** Local reads and writes. */
const QUICK = 20_000;
/** Fetching from the web: the core caps a fetch itself; this is the outer bound. */
const NETWORK = 90_000;
/** Exports and backups of a large library. */
const LONG = 300_000;

type Fn = (...args: never[]) => Promise<unknown>;

function timed<F extends Fn>(f: F, ms: number, what: string): F {
  return ((...args: Parameters<F>) => withTimeout(f(...args), ms, what)) as F;
}

export const clipUrl = timed(api.clipUrl, NETWORK, 'Clipping');
export const clipText = timed(api.clipText, NETWORK, 'Clipping');
export const clipFile = timed(api.clipFile, NETWORK, 'Clipping');
/** Waits on the reporter in the native dialog, hence the long bound. */
export const chooseFilesToClip = timed(api.chooseFilesToClip, LONG, 'Choosing files');
export const checkSource = timed(api.checkSource, NETWORK, 'The re-check');

export const listSources = timed(api.listSources, QUICK, 'Loading sources');
export const countSources = timed(api.countSources, QUICK, 'Counting sources');
export const listSites = timed(api.listSites, QUICK, 'Loading outlets');
export const listLanguages = timed(api.listLanguages, QUICK, 'Loading languages');
export const searchReindexProgress = timed(api.searchReindexProgress, QUICK, 'Reading the re-index');
export const getSource = timed(api.getSource, QUICK, 'Loading the source');
export const listVersions = timed(api.listVersions, QUICK, 'Loading versions');
export const getVersion = timed(api.getVersion, QUICK, 'Loading the version');
export const listCaptures = timed(api.listCaptures, QUICK, 'Loading the timeline');
export const getCapturedPage = timed(api.getCapturedPage, QUICK, 'Loading the page as captured');
export const reextractSource = timed(api.reextractSource, LONG, 'Re-extracting');
export const markViewed = timed(api.markViewed, QUICK, 'Marking as read');
export const setWatched = timed(api.setWatched, QUICK, 'Changing the watch flag');
export const setArchived = timed(api.setArchived, QUICK, 'Archiving');
export const compareVersions = timed(api.compareVersions, QUICK, 'Comparing');

export const listProjects = timed(api.listProjects, QUICK, 'Loading projects');
export const createProject = timed(api.createProject, QUICK, 'Creating the project');
export const renameProject = timed(api.renameProject, QUICK, 'Renaming the project');
export const archiveProjects = timed(api.archiveProjects, QUICK, 'Archiving the project');
export const projectDeletePlan = timed(api.projectDeletePlan, QUICK, 'Planning the deletion');
export const deleteProject = timed(api.deleteProject, QUICK, 'Deleting the project');
export const addSourcesToProject = timed(api.addSourcesToProject, QUICK, 'Adding to the project');
export const removeSourcesFromProject = timed(api.removeSourcesFromProject, QUICK, 'Removing from the project');

export const listTags = timed(api.listTags, QUICK, 'Loading tags');
export const sourceTags = timed(api.sourceTags, QUICK, 'Loading tags');
export const tagSources = timed(api.tagSources, QUICK, 'Tagging');
export const untagSources = timed(api.untagSources, QUICK, 'Removing the tag');
export const renameTag = timed(api.renameTag, QUICK, 'Renaming the tag');
export const deleteTag = timed(api.deleteTag, QUICK, 'Deleting the tag');

export const listNotes = timed(api.listNotes, QUICK, 'Loading notes');
export const getNote = timed(api.getNote, QUICK, 'Opening the note');
export const createNote = timed(api.createNote, QUICK, 'Creating the note');
export const saveNote = timed(api.saveNote, QUICK, 'Saving');
export const tagNotes = timed(api.tagNotes, QUICK, 'Tagging the note');
export const untagNotes = timed(api.untagNotes, QUICK, 'Removing the tag');
export const addNotesToProject = timed(api.addNotesToProject, QUICK, 'Adding to the project');
export const removeNotesFromProject = timed(api.removeNotesFromProject, QUICK, 'Removing from the project');
export const deleteNote = timed(api.deleteNote, QUICK, 'Deleting the note');
export const noteHistory = timed(api.noteHistory, QUICK, 'Loading the history');
export const restoreNote = timed(api.restoreNote, QUICK, 'Restoring');
export const renderNote = timed(api.renderNote, QUICK, 'Rendering the note');
export const renderDraft = timed(api.renderDraft, QUICK, 'Rendering the preview');

export const createHighlight = timed(api.createHighlight, QUICK, 'Saving the highlight');
export const listHighlights = timed(api.listHighlights, QUICK, 'Loading highlights');
export const listSourceHighlights = timed(api.listSourceHighlights, QUICK, 'Loading highlights');
export const listAllHighlights = timed(api.listAllHighlights, QUICK, 'Loading highlights');
export const updateHighlight = timed(api.updateHighlight, QUICK, 'Saving the comment');
export const deleteHighlight = timed(api.deleteHighlight, QUICK, 'Removing the highlight');
export const citationMarkdown = timed(api.citationMarkdown, QUICK, 'Making the citation');

export const listAlerts = timed(api.listAlerts, QUICK, 'Loading the inbox');
export const countUnreadAlerts = timed(api.countUnreadAlerts, QUICK, 'Counting alerts');
export const markAlerts = timed(api.markAlerts, QUICK, 'Marking alerts');
export const markAllAlertsRead = timed(api.markAllAlertsRead, QUICK, 'Marking alerts');
export const notifySettings = timed(api.notifySettings, QUICK, 'Loading notification settings');
export const setNotify = timed(api.setNotify, QUICK, 'Changing notifications');

export const listFeeds = timed(api.listFeeds, QUICK, 'Loading feeds');
export const addFeed = timed(api.addFeed, NETWORK, 'Subscribing');
export const removeFeed = timed(api.removeFeed, QUICK, 'Unsubscribing');
export const pollFeed = timed(api.pollFeed, LONG, 'Refreshing the feed');
/** Waits on the reporter in the native dialog, hence the long bound. */
export const importOpmlWithDialog = timed(api.importOpmlWithDialog, LONG, 'The OPML import');
export const exportOpmlWithDialog = timed(api.exportOpmlWithDialog, LONG, 'The OPML export');
export const watchingSettings = timed(api.watchingSettings, QUICK, 'Loading watching settings');
export const setWatchingPaused = timed(api.setWatchingPaused, QUICK, 'Pausing watching');
export const setCloseToTray = timed(api.setCloseToTray, QUICK, 'Changing the tray setting');
export const setStartAtLogin = timed(api.setStartAtLogin, QUICK, 'Changing start at login');

export const listQuotes = timed(api.listQuotes, QUICK, 'Loading quotes');
export const search = timed(api.search, QUICK, 'Searching');

export const exportSourcesWithDialog = timed(api.exportSourcesWithDialog, LONG, 'The export');
export const exportBundleWithDialog = timed(api.exportBundleWithDialog, LONG, 'The evidence bundle');
export const exportNoteWithDialog = timed(api.exportNoteWithDialog, LONG, 'The export');
export const backupWithDialog = timed(api.backupWithDialog, LONG, 'The backup');

/** Waits on the reporter in the native dialog, hence the long bound. */
export const chooseArchiveToVerify = timed(api.chooseArchiveToVerify, LONG, 'Choosing an archive');
/** Reads and hashes the whole archive: long for a large one. */
export const verifyArchive = timed(api.verifyArchive, LONG, 'Verifying the archive');
export const libraryPublicKey = timed(api.libraryPublicKey, QUICK, 'Loading the signing key');
export const stampStatus = timed(api.stampStatus, QUICK, 'Loading the timestamp settings');
export const setTimestampAuthority = timed(api.setTimestampAuthority, QUICK, 'Saving the time stamping authority');
export const setTimestampCaptures = timed(api.setTimestampCaptures, QUICK, 'Saving the timestamp setting');
/** Asks the authority once per waiting capture, each bounded by its 30 s limit. */
export const stampWaitingCaptures = timed(api.stampWaitingCaptures, LONG, 'Asking for timestamps');

export const teamStatus = timed(api.teamStatus, QUICK, 'Loading the team status');
/** Asks the server who the token belongs to first. */
export const teamJoin = timed(api.teamJoin, NETWORK, 'Joining the team library');
export const teamShareProject = timed(api.teamShareProject, QUICK, 'Sharing the project');
/** A first sync of a large shared project moves every version once. */
export const teamSync = timed(api.teamSync, LONG, 'The team sync');
export const teamUndeleteNote = timed(api.teamUndeleteNote, QUICK, 'Restoring the note');
export const teamMembers = timed(api.teamMembers, NETWORK, 'Loading the members');
export const teamProjects = timed(api.teamProjects, NETWORK, "Loading the team's projects");
export const teamFollow = timed(api.teamFollow, NETWORK, 'Following the project');
export const teamUnfollow = timed(api.teamUnfollow, NETWORK, 'Unfollowing the project');
export const teamInvite = timed(api.teamInvite, NETWORK, 'Inviting');
export const teamRevoke = timed(api.teamRevoke, NETWORK, 'Revoking');
export const teamUndeleteHighlight = timed(api.teamUndeleteHighlight, QUICK, 'Restoring the highlight');

export const onLibraryChanged = api.onLibraryChanged;
export const onSourceChanged = api.onSourceChanged;
export const onOpenLink = api.onOpenLink;
export const takeOpenedLink = timed(api.takeOpenedLink, QUICK, 'Opening the link');
