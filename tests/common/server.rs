//! A real HTTP/1.1 server on 127.0.0.1 for tests, serving pages the tests set.
//! Written on raw TCP so tests can also make it misbehave (stall, cut a body
//! short, lie about lengths), which a well-behaved framework would not allow.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How the server sends a response.
#[derive(Clone, Debug)]
pub enum Behaviour {
    /// Headers and the whole body at once.
    Normal,
    /// Wait this long before sending anything.
    DelayHeaders(Duration),
    /// Send headers and the first `n` bytes, then hang for `pause` and close.
    StallAfter(usize, Duration),
    /// Send headers (with the full Content-Length) and `n` bytes, then close.
    CutAfter(usize),
    /// Send headers, then the body in `chunk`-byte pieces every `every`.
    Drip { chunk: usize, every: Duration },
    /// No Content-Length: send the whole body, then close (an HTTP/1.0-style
    /// body whose end is the end of the connection).
    CloseDelimited,
}

#[derive(Clone, Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub behaviour: Behaviour,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            behaviour: Behaviour::Normal,
        }
    }

    /// A UTF-8 HTML page.
    pub fn html(body: impl Into<Vec<u8>>) -> Self {
        Self::new(200, "text/html; charset=utf-8", body)
    }

    pub fn redirect(status: u16, location: &str) -> Self {
        Self::new(status, "text/plain", Vec::new()).header("Location", location)
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Replaces the Content-Type header (or removes it with `None`).
    pub fn content_type(mut self, value: Option<&str>) -> Self {
        self.headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
        if let Some(v) = value {
            self.headers.push(("Content-Type".into(), v.into()));
        }
        self
    }

    pub fn behaviour(mut self, b: Behaviour) -> Self {
        self.behaviour = b;
        self
    }
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Handler = Arc<dyn Fn(&Request) -> Response + Send + Sync>;

#[derive(Clone)]
pub struct TestServer {
    pub addr: std::net::SocketAddr,
    routes: Arc<Mutex<HashMap<String, Handler>>>,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl TestServer {
    /// Starts a server on an ephemeral loopback port, on the current tokio runtime.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().unwrap();
        let server = TestServer {
            addr,
            routes: Arc::default(),
            requests: Arc::default(),
        };
        let s = server.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    break;
                };
                let s = s.clone();
                tokio::spawn(async move {
                    let _ = s.serve(stream).await;
                });
            }
        });
        server
    }

    /// Starts a server on its own thread and runtime, for tests that are not async
    /// (for example those that run the `redline` binary).
    pub fn start_in_thread() -> Self {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let server = TestServer::start().await;
                tx.send(server).unwrap();
                std::future::pending::<()>().await;
            });
        });
        rx.recv().unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Serves `response` at `path` (exact path, query included) from now on.
    pub fn set(&self, path: &str, response: Response) {
        self.set_handler(path, move |_| response.clone());
    }

    /// Serves whatever `handler` answers for each request to `path`.
    pub fn set_handler(
        &self,
        path: &str,
        handler: impl Fn(&Request) -> Response + Send + Sync + 'static,
    ) {
        self.routes
            .lock()
            .unwrap()
            .insert(path.to_string(), Arc::new(handler));
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    /// Drops the requests received so far, so a long benchmark's memory
    /// measures the client, not this server's record of it.
    #[allow(dead_code)]
    pub fn forget_requests(&self) {
        self.requests.lock().unwrap().clear();
    }

    async fn serve(&self, mut stream: TcpStream) -> std::io::Result<()> {
        loop {
            let Some(request) = read_request(&mut stream).await? else {
                return Ok(());
            };
            self.requests.lock().unwrap().push(request.clone());
            // Exact path first, then the path without its query string, as a
            // real site ignores unknown (tracking) parameters.
            let handler = {
                let routes = self.routes.lock().unwrap();
                let bare = request.path.split('?').next().unwrap_or_default();
                routes
                    .get(&request.path)
                    .or_else(|| routes.get(bare))
                    .cloned()
            };
            let response = match handler {
                Some(h) => h(&request),
                None => Response::new(404, "text/plain", "no such page"),
            };
            let keep_alive = matches!(response.behaviour, Behaviour::Normal);
            write_response(&mut stream, &request, response).await?;
            if !keep_alive {
                return Ok(());
            }
        }
    }
}

async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<Request>> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1024];
    loop {
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_string();
            let mut lines = head.split("\r\n");
            let first = lines.next().unwrap_or_default();
            let mut parts = first.split_whitespace();
            let method = parts.next().unwrap_or_default().to_string();
            let path = parts.next().unwrap_or_default().to_string();
            let headers = lines
                .filter_map(|l| l.split_once(':'))
                .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
                .collect();
            return Ok(Some(Request {
                method,
                path,
                headers,
            }));
        }
        let n = stream.read(&mut byte).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&byte[..n]);
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Status",
    }
}

async fn write_response(
    stream: &mut TcpStream,
    request: &Request,
    response: Response,
) -> std::io::Result<()> {
    if let Behaviour::DelayHeaders(d) = response.behaviour {
        tokio::time::sleep(d).await;
    }
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (n, v) in &response.headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    let has_length = response
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-length"));
    let close_delimited = matches!(response.behaviour, Behaviour::CloseDelimited);
    if close_delimited {
        head.push_str("Connection: close\r\n");
    }
    if !has_length && response.status != 304 && !close_delimited {
        head.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    if request.method == "HEAD" || response.status == 304 {
        return stream.flush().await;
    }
    match response.behaviour {
        Behaviour::Normal | Behaviour::DelayHeaders(_) | Behaviour::CloseDelimited => {
            stream.write_all(&response.body).await?;
        }
        Behaviour::StallAfter(n, pause) => {
            stream
                .write_all(&response.body[..n.min(response.body.len())])
                .await?;
            stream.flush().await?;
            tokio::time::sleep(pause).await;
        }
        Behaviour::CutAfter(n) => {
            stream
                .write_all(&response.body[..n.min(response.body.len())])
                .await?;
        }
        Behaviour::Drip { chunk, every } => {
            for piece in response.body.chunks(chunk.max(1)) {
                if stream.write_all(piece).await.is_err() {
                    return Ok(());
                }
                stream.flush().await?;
                tokio::time::sleep(every).await;
            }
        }
    }
    stream.flush().await
}
