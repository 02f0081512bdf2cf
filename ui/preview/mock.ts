// Preview only (never in the app bundle): a stand-in for the Tauri backend with
// invented fixtures, so the UI can be looked at in a plain browser
// (`npm run preview:build`, serve `dist-preview/`, open preview.html?view=…).
import type { Source } from '../src/bindings/Source';
import type { Version } from '../src/bindings/Version';
import type { Capture } from '../src/bindings/Capture';
import type { CompareView } from '../src/bindings/CompareView';
import type { Note } from '../src/bindings/Note';
import type { Highlight } from '../src/bindings/Highlight';

const params = new URLSearchParams(location.search);
const many = Number(params.get('rows') ?? '0');

const now = '2026-11-26T23:00:00Z';
const base: Source[] = [
  {
    id: 1, url: 'https://www.example-wire.com/world/asia/missile-launch-japan', createdAt: '2026-11-26T08:02:00Z', watched: true,
    archived: false, title: 'North Korea fires missile over Japan, Tokyo protests', siteName: 'Example Wire', lang: 'en', dir: 'ltr',
    publishedAt: '2026-11-26T07:40:00Z', latestVersionId: 12, versionCount: 2, lastCapturedAt: '2026-11-26T22:40:00Z', lastViewedVersionId: 11,
  },
  {
    id: 2, url: 'https://www.example-arabic.net/news/2026/11/26/summit', createdAt: '2026-11-26T09:10:00Z', watched: false, archived: false,
    title: 'القمة تنتهي دون اتفاق على وقف إطلاق النار', siteName: 'الأخبار', lang: 'ar', dir: 'rtl', publishedAt: null,
    latestVersionId: 21, versionCount: 1, lastCapturedAt: '2026-11-26T09:10:00Z', lastViewedVersionId: 21,
  },
  {
    id: 3, url: 'https://tass.example/politika/1234', createdAt: '2026-11-25T18:00:00Z', watched: true, archived: false,
    title: 'Лавров: переговоры о перемирии зашли в тупик', siteName: 'ТАСС', lang: 'ru', dir: 'ltr', publishedAt: null,
    latestVersionId: 31, versionCount: 3, lastCapturedAt: '2026-11-26T20:00:00Z', lastViewedVersionId: 31,
  },
];
const generated: Source[] = Array.from({ length: many }, (_, i) => ({
  ...base[i % 3], id: 1000 + i, title: `${base[i % 3].title} (${i + 1})`, latestVersionId: base[i % 3].latestVersionId,
}));
const sources = [...base, ...generated];

const v2blocks = [
  { kind: 'paragraph', text: 'TOKYO, Nov. 26 — North Korea fired a ballistic missile over northern Japan on Wednesday, the first such launch in 14 months, prompting a sharp protest from Tokyo.' },
  { kind: 'paragraph', text: 'About 10,000 residents of Aomori prefecture were told to take shelter, officials said.' },
  { kind: 'paragraph', text: '“This is an outrageous act that threatens the peace of the region,” said Foreign Minister Yoko Kamikawa.' },
  { kind: 'heading', text: 'A PATTERN OF LAUNCHES' },
  { kind: 'paragraph', text: 'The U.S. Seventh Fleet, based in Yokosuka, said it was monitoring the situation.' },
  { kind: 'paragraph', text: 'Correction: An earlier version of this story misstated the number of residents told to take shelter.' },
] as const;
const v1blocks = [v2blocks[0], { kind: 'paragraph', text: 'About 30,000 residents of Aomori prefecture were told to take shelter, officials said.' }, v2blocks[4], v2blocks[2], v2blocks[3]] as const;
const text = (b: readonly { text: string }[]) => b.map((x) => x.text).join('\n\n');
const versions: Record<number, Version> = {
  11: { id: 11, sourceId: 1, seq: 1, createdAt: '2026-11-26T08:02:00Z', title: 'North Korea fires missile over Japan', byline: 'By Mari Tanaka', siteName: 'Example Wire', lang: 'en', dir: 'ltr', publishedAt: '2026-11-26T07:40:00Z', modifiedAt: null, excerpt: null, blocks: [...v1blocks], text: text(v1blocks), textSha256: 'a1', extractor: '2026-12-01', lowConfidence: null },
  12: { id: 12, sourceId: 1, seq: 2, createdAt: '2026-11-26T22:40:00Z', title: 'North Korea fires missile over Japan, Tokyo protests', byline: 'By Mari Tanaka', siteName: 'Example Wire', lang: 'en', dir: 'ltr', publishedAt: '2026-11-26T07:40:00Z', modifiedAt: '2026-11-26T22:30:00Z', excerpt: null, blocks: [...v2blocks], text: text(v2blocks), textSha256: 'a2', extractor: '2026-12-01', lowConfidence: null },
  21: { id: 21, sourceId: 2, seq: 1, createdAt: '2026-11-26T09:10:00Z', title: 'القمة تنتهي دون اتفاق على وقف إطلاق النار', byline: 'مراسلنا في الدوحة', siteName: 'الأخبار', lang: 'ar', dir: 'rtl', publishedAt: null, modifiedAt: null, excerpt: null, blocks: [{ kind: 'paragraph', text: 'انتهت القمة مساء الأربعاء دون اتفاق على وقف إطلاق النار، وفق ما أعلنه الوسطاء.' }, { kind: 'paragraph', text: '«لن نتراجع عن مطالبنا»، قال المتحدث باسم الوفد.' }], text: '', textSha256: 'b1', extractor: null, lowConfidence: 'shortOfPage' },
};
versions[21].text = text(versions[21].blocks);
const captures: Capture[] = [
  { id: 1, sourceId: 1, capturedAt: '2026-11-26T08:02:00Z', method: 'fetch', requestedUrl: null, finalUrl: null, canonicalUrl: null, httpStatus: 200, etag: null, lastModified: null, contentType: null, charset: null, rawSize: 1, rawSha256: null, outcome: 'new_version', error: null, versionId: 11 },
  { id: 2, sourceId: 1, capturedAt: '2026-11-26T14:00:00Z', method: 'fetch', requestedUrl: null, finalUrl: null, canonicalUrl: null, httpStatus: 200, etag: null, lastModified: null, contentType: null, charset: null, rawSize: 1, rawSha256: null, outcome: 'unchanged', error: null, versionId: 11 },
  { id: 3, sourceId: 1, capturedAt: '2026-11-26T18:00:00Z', method: 'fetch', requestedUrl: null, finalUrl: null, canonicalUrl: null, httpStatus: null, etag: null, lastModified: null, contentType: null, charset: null, rawSize: null, rawSha256: null, outcome: 'failed', error: 'timed out after 30 s', versionId: null },
  { id: 4, sourceId: 1, capturedAt: '2026-11-26T22:40:00Z', method: 'fetch', requestedUrl: null, finalUrl: null, canonicalUrl: null, httpStatus: 200, etag: null, lastModified: null, contentType: null, charset: null, rawSize: 1, rawSha256: null, outcome: 'new_version', error: null, versionId: 12 },
];
const highlights: Highlight[] = [
  { id: 5, sourceId: 1, versionId: 12, start: versions[12].text.indexOf('This is an outrageous'), end: versions[12].text.indexOf('This is an outrageous') + 52, text: 'This is an outrageous act that threatens the peace o', prefix: '', suffix: '', comment: '', label: '', createdAt: now },
];
const compare: Omit<CompareView, 'source' | 'versions'> = {
  old: { id: 11, sourceId: 1, seq: 1, createdAt: versions[11].createdAt, title: versions[11].title, textSha256: 'a1', words: 60 },
  new: { id: 12, sourceId: 1, seq: 2, createdAt: versions[12].createdAt, title: versions[12].title, textSha256: 'a2', words: 70 },
  diff: {
    title: { from: versions[11].title, to: versions[12].title },
    byline: null,
    blocks: [
      { op: 'unchanged', oldIndex: 0, newIndex: 0, kind: 'paragraph', oldText: v2blocks[0].text, newText: v2blocks[0].text, edited: false, spans: [] },
      { op: 'edited', oldIndex: 1, newIndex: 1, kind: 'paragraph', oldText: v1blocks[1].text, newText: v2blocks[1].text, edited: true, spans: [{ op: 'equal', text: 'About ' }, { op: 'delete', text: '30,000' }, { op: 'insert', text: '10,000' }, { op: 'equal', text: ' residents of Aomori prefecture were told to take shelter, officials said.' }] },
      { op: 'moved', oldIndex: 3, newIndex: 2, kind: 'paragraph', oldText: v2blocks[2].text, newText: v2blocks[2].text, edited: false, spans: [] },
      { op: 'unchanged', oldIndex: 4, newIndex: 3, kind: 'heading', oldText: v2blocks[3].text, newText: v2blocks[3].text, edited: false, spans: [] },
      { op: 'moved', oldIndex: 2, newIndex: 4, kind: 'paragraph', oldText: v2blocks[4].text, newText: v2blocks[4].text, edited: false, spans: [] },
      { op: 'added', oldIndex: null, newIndex: 5, kind: 'paragraph', oldText: '', newText: v2blocks[5].text, edited: false, spans: [] },
    ],
    summary: {
      headline: { from: versions[11].title, to: versions[12].title }, byline: null,
      paragraphsAdded: 1, paragraphsRemoved: 0, paragraphsEdited: 1, paragraphsMoved: 2,
      quotesAltered: [], numbersChanged: [{ from: '30,000', to: '10,000' }],
      corrections: ['Correction: An earlier version of this story misstated the number of residents told to take shelter.'],
    },
  },
};
const note: Note = { id: 7, title: "Missile launch: Tokyo's reaction", body: "Tokyo's first reaction was sharp:\n\n[@h5]\n\n## To check\n\n- [ ] Shelter figure: **30,000 or 10,000**?\n", createdAt: now, updatedAt: now, archived: false, projectIds: [1], tags: ['korea'] };

const handlers: Record<string, (a: Record<string, unknown>) => unknown> = {
  list_sources: (a) => {
    const f = (a.filter ?? {}) as { watched?: boolean; unviewed?: boolean };
    return sources.filter((s) => (f.watched ? s.watched : true) && (f.unviewed ? s.lastViewedVersionId !== s.latestVersionId : true));
  },
  get_source: (a) => sources.find((s) => s.id === a.sourceId),
  list_versions: (a) => Object.values(versions).filter((v) => v.sourceId === a.sourceId).map((v) => ({ id: v.id, sourceId: v.sourceId, seq: v.seq, createdAt: v.createdAt, title: v.title, textSha256: v.textSha256, words: 60 })),
  get_version: (a) => versions[a.versionId as number],
  list_captures: (a) => captures.filter((c) => c.sourceId === a.sourceId),
  get_captured_page: (a) => ({ captureId: 1, capturedAt: versions[a.versionId as number].createdAt, contentType: 'text/html', charset: 'UTF-8', rawSize: 48_213, text: '<!doctype html><html><head><title>Preview</title></head><body><p>The page as captured, shown as text.</p><script>alert(1)</script></body></html>', truncated: false }),
  reextract_source: () => ({ extractor: '2026-12-01', versions: [] }),
  list_highlights: (a) => highlights.filter((h) => h.versionId === a.versionId),
  list_all_highlights: () => highlights,
  create_highlight: (a) => {
    const v = versions[a.versionId as number];
    const chars = Array.from(v.text);
    const h: Highlight = { id: 100 + highlights.length, sourceId: v.sourceId, versionId: v.id, start: a.start as number, end: a.end as number, text: chars.slice(a.start as number, a.end as number).join(''), prefix: '', suffix: '', comment: '', label: '', createdAt: now };
    highlights.push(h);
    (window as unknown as { __lastHighlight: Highlight }).__lastHighlight = h;
    return h;
  },
  source_tags: () => ['korea', 'missiles'],
  list_projects: () => [{ id: 1, name: 'Korea summit 2026', description: '', archived: false, createdAt: now, updatedAt: now, sourceCount: 12, noteCount: 2 }, { id: 2, name: 'Gaza ceasefire', description: '', archived: false, createdAt: now, updatedAt: now, sourceCount: 40, noteCount: 5 }],
  list_tags: () => [{ id: 1, name: 'korea', sourceCount: 3, noteCount: 1 }, { id: 2, name: 'missiles', sourceCount: 2, noteCount: 0 }, { id: 3, name: 'state-media', sourceCount: 9, noteCount: 0 }],
  mark_viewed: () => null,
  list_sites: () => [{ value: 'Example Wire', count: 1 }, { value: 'ТАСС', count: 1 }],
  list_languages: () => [{ value: 'ar', count: 1 }, { value: 'en', count: 1 }, { value: 'ru', count: 1 }],
  compare_versions: (a) => ({ ...compare, source: handlers.get_source(a), versions: handlers.list_versions(a) }),
  list_notes: () => [note],
  create_note: (a) => ({ ...note, id: 8, title: String(a.title ?? ''), body: String(a.body ?? ''), projectIds: [], tags: [] }),
  save_note: (a) => {
    (window as unknown as { __saved: unknown }).__saved = a;
    return { ...note, id: a.noteId as number, title: String(a.title), body: String(a.body), updatedAt: new Date().toISOString() };
  },
  citation_markdown: (a) => `[@h${a.highlightId}]`,
  get_note: (a) => (a.noteId === 8 ? { ...note, id: 8, title: '', body: '', projectIds: [], tags: [] } : note),
  render_draft: () => ({
    html: '<p>Tokyo\'s first reaction was sharp:</p><blockquote><p>“This is an outrageous act that threatens the peace o”</p><footer><a href="redline://source/1/version/12">Example Wire, version 2, captured 2026-11-26 22:40 UTC</a></footer></blockquote><h2>To check</h2><ul><li><input type="checkbox" disabled> Shelter figure: <strong>30,000 or 10,000</strong>?</li></ul>',
    citations: [{ highlightId: 5, state: 'changed_after_cite', citedVersionId: 12, latestVersionId: 13, citedText: 'This is an outrageous act that threatens the peace o', newText: 'This is a regrettable act that threatens the peace o', spans: [{ op: 'equal', text: 'This is ' }, { op: 'delete', text: 'an outrageous' }, { op: 'insert', text: 'a regrettable' }, { op: 'equal', text: ' act that threatens the peace o' }] }],
  }),
  search: () => [
    { kind: 'source', sourceId: 1, versionId: 12, noteId: null, highlightId: null, quoteId: null, title: sources[0].title, snippet: 'North Korea fired a ballistic \u0002missile\u0003 over northern Japan on Wednesday…', score: 1, capturedAt: now },
    { kind: 'note', sourceId: null, versionId: null, noteId: 7, highlightId: null, quoteId: null, title: note.title, snippet: '\u0002Missile\u0003 launch: Tokyo\'s reaction — first reaction was sharp', score: 1, capturedAt: now },
  ],
  list_quotes: () => [
    { id: 1, versionId: 12, sourceId: 1, speaker: 'Yoko Kamikawa', text: 'This is an outrageous act that threatens the peace of the region', start: 0, end: 1, sourceTitle: sources[0].title, sourceUrl: null, versionSeq: 2, capturedAt: now },
    { id: 2, versionId: 21, sourceId: 2, speaker: null, text: 'لن نتراجع عن مطالبنا', start: 0, end: 1, sourceTitle: sources[1].title, sourceUrl: null, versionSeq: 1, capturedAt: now },
  ],
  check_source: () => ({ sourceId: 1, status: 'unchanged', captureId: 5, versionId: 12, versionSeq: 2, title: null, errorCode: null, error: null }),
  clip_url: () => new Promise((_, reject) => setTimeout(() => reject({ code: 'http_status', message: 'the server answered 404 Not Found' }), 400)),
};

let cb = 0;
(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {
  metadata: { currentWindow: { label: 'main' }, currentWebview: { windowLabel: 'main', label: 'main' } },
  transformCallback: () => ++cb,
  unregisterCallback: () => {},
  invoke: async (cmd: string, args: Record<string, unknown>) => {
    if (cmd.startsWith('plugin:')) return cb;
    const h = handlers[cmd];
    if (!h) throw { code: 'unsupported', message: `preview has no ${cmd}` };
    return structuredClone(await h(args ?? {}));
  },
};
(window as unknown as Record<string, unknown>).__TAURI_EVENT_PLUGIN_INTERNALS__ = { unregisterListener: () => {} };
