//! A local HTTP/1.1 server that misbehaves on purpose, byte by byte.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// The largest request head (and body) the server reads.
const REQUEST_LIMIT: usize = 64 << 10;

/// One thing the server does on a connection, in order.
#[derive(Clone, Debug)]
pub enum Step {
    /// Writes these bytes (a status line and headers, a piece of a body).
    Send(Vec<u8>),
    /// Waits this long before the next step (a stalled server).
    Pause(Duration),
    /// Writes `total` bytes of body in 64 KiB chunks, stopping early when
    /// the client goes away (a flood).
    Stream {
        /// How many bytes to write.
        total: u64,
    },
    /// Closes the connection with a TCP reset.
    Reset,
}

/// A server on `127.0.0.1` for faults wiremock cannot play: a connection
/// reset in the middle of a body, a body that stalls, a `Content-Length`
/// that lies, a body without end.
///
/// Each connection carries one request: the server reads it, records its
/// head, plays the steps `answer` gives for it (its index from 0, and the
/// request head), then closes the connection. Responses should say
/// `connection: close` ([`response`] and [`response_head`] do).
pub struct FaultServer {
    address: SocketAddr,
    heads: Arc<Mutex<Vec<String>>>,
    bodies: Arc<Mutex<Vec<Vec<u8>>>>,
    task: JoinHandle<()>,
}

impl FaultServer {
    /// Starts a server that answers request number `n` (from 0) with the
    /// steps `answer(n, head)` returns.
    pub async fn start<F>(answer: F) -> Self
    where
        F: Fn(usize, &str) -> Vec<Step> + Send + Sync + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port is free");
        let address = listener
            .local_addr()
            .expect("a bound listener has an address");
        let heads = Arc::new(Mutex::new(Vec::new()));
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let answer = Arc::new(answer);
        let recorded = Arc::clone(&heads);
        let recorded_bodies = Arc::clone(&bodies);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let answer = Arc::clone(&answer);
                let recorded = Arc::clone(&recorded);
                let recorded_bodies = Arc::clone(&recorded_bodies);
                tokio::spawn(async move {
                    let mut stream = stream;
                    let Some((head, body)) = read_request(&mut stream).await else {
                        return;
                    };
                    let index = {
                        // Both under the heads' lock, so their indexes agree.
                        let mut heads = recorded.lock().unwrap_or_else(PoisonError::into_inner);
                        heads.push(head.clone());
                        recorded_bodies
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .push(body);
                        heads.len() - 1
                    };
                    play(stream, answer(index, &head)).await;
                });
            }
        });
        Self {
            address,
            heads,
            bodies,
            task,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.address)
    }

    /// How many requests arrived.
    pub fn requests(&self) -> usize {
        self.heads().len()
    }

    /// The head (request line and headers) of every request that arrived.
    pub fn heads(&self) -> Vec<String> {
        self.heads
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl FaultServer {
    /// The body of every request that arrived, in the order of
    /// [`FaultServer::heads`].
    pub fn bodies(&self) -> Vec<Vec<u8>> {
        let _heads = self.heads.lock().unwrap_or_else(PoisonError::into_inner);
        self.bodies
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A whole response: status line, `content-length`, `connection: close`,
/// the extra `headers`, then `body`.
pub fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let length = body.len().to_string();
    let mut all = vec![("content-length", length.as_str())];
    all.extend_from_slice(headers);
    let mut bytes = response_head(status, &all);
    bytes.extend_from_slice(body);
    bytes
}

/// A status line and headers with `connection: close`, and the blank line
/// that ends them; the body is up to the steps that follow.
pub fn response_head(status: u16, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {status} Whatever\r\nconnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    head.into_bytes()
}

/// Reads one request (head and `content-length` body): its head as text
/// and its body.
async fn read_request(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 4096];
    let end = loop {
        if let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        if bytes.len() > REQUEST_LIMIT {
            return None;
        }
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            return None;
        }
        bytes.extend_from_slice(&buffer[..read]);
    };
    let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while bytes.len() < end + length.min(REQUEST_LIMIT) {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            break;
        }
        bytes.extend_from_slice(&buffer[..read]);
    }
    let body = bytes[end..].get(..length).unwrap_or(&bytes[end..]).to_vec();
    Some((head, body))
}

async fn play(mut stream: TcpStream, steps: Vec<Step>) {
    for step in steps {
        match step {
            Step::Send(bytes) => {
                if stream.write_all(&bytes).await.is_err() {
                    return;
                }
                let _ = stream.flush().await;
            }
            Step::Pause(wait) => tokio::time::sleep(wait).await,
            Step::Stream { total } => {
                let chunk = vec![b'x'; 64 << 10];
                let mut left = total;
                while left > 0 {
                    let size = left.min(chunk.len() as u64) as usize;
                    if stream.write_all(&chunk[..size]).await.is_err() {
                        return;
                    }
                    left -= size as u64;
                }
            }
            Step::Reset => {
                // A zero linger makes close send RST instead of FIN.
                let _ = stream.set_zero_linger();
                return;
            }
        }
    }
    let _ = stream.shutdown().await;
}
