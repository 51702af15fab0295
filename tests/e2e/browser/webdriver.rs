//! Just enough W3C WebDriver (over chromedriver) and a static file server to drive the
//! browser calculator in real headless Chromium from a Rust test, with no async runtime and
//! no extra crates: WebDriver is JSON over HTTP/1.1 on localhost.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A static file server for `web/dist` on an ephemeral localhost port that records every
/// request path, so a test can say what the page asked for.
pub(crate) struct Server {
    pub(crate) origin: String,
    pub(crate) requests: Arc<Mutex<Vec<String>>>,
    /// While set, every connection is dropped unanswered: the network is gone.
    offline: Arc<AtomicBool>,
}

impl Server {
    pub(crate) fn start(root: &Path) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a localhost port");
        let origin = format!("http://{}", listener.local_addr().expect("local address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let offline = Arc::new(AtomicBool::new(false));
        let log = Arc::clone(&requests);
        let cut = Arc::clone(&offline);
        let root = root.to_path_buf();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                if cut.load(Ordering::SeqCst) {
                    drop(stream);
                    continue;
                }
                let root = root.clone();
                let log = Arc::clone(&log);
                let cut = Arc::clone(&cut);
                std::thread::spawn(move || serve(stream, &root, &log, &cut));
            }
        });
        Server {
            origin,
            requests,
            offline,
        }
    }

    /// Cuts the network: from now on no request is answered.
    pub(crate) fn go_offline(&self) {
        self.offline.store(true, Ordering::SeqCst);
    }
}

fn serve(stream: TcpStream, root: &Path, log: &Mutex<Vec<String>>, offline: &AtomicBool) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut out = stream;
    loop {
        let mut request = String::new();
        if reader.read_line(&mut request).unwrap_or(0) == 0 {
            return;
        }
        // Headers up to the blank line; requests here have no body.
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
        }
        if offline.load(Ordering::SeqCst) {
            return; // a kept-alive connection is cut too
        }
        let path = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
        log.lock().expect("request log").push(path.clone());
        let clean = path.split(['?', '#']).next().unwrap_or("/");
        let file = if clean == "/" { "/index.html" } else { clean };
        let (status, body, kind) = match safe_join(root, file).and_then(|p| std::fs::read(p).ok()) {
            Some(body) => ("200 OK", body, content_type(file)),
            None => ("404 Not Found", b"not found".to_vec(), "text/plain"),
        };
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n\r\n",
            body.len()
        );
        if out.write_all(head.as_bytes()).is_err() || out.write_all(&body).is_err() {
            return;
        }
    }
}

fn safe_join(root: &Path, file: &str) -> Option<PathBuf> {
    let rel = file.trim_start_matches('/');
    (!rel.split('/').any(|part| part == ".." || part.is_empty())).then(|| root.join(rel))
}

fn content_type(file: &str) -> &'static str {
    match file.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// A chromedriver process and one headless Chromium session.
pub(crate) struct Browser {
    driver: Child,
    port: u16,
    session: String,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium that saves downloads into `downloads`.
    pub(crate) fn start(downloads: &Path) -> Browser {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let driver = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start /usr/bin/chromedriver (Debian chromium-driver)");
        let mut b = Browser {
            driver,
            port,
            session: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while b.request("GET", "/status", None).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:loggingPrefs": { "browser": "ALL" },
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--disable-background-networking",
                         "--no-first-run", "--window-size=1366,900"],
                "prefs": {
                    "download.default_directory": downloads.display().to_string(),
                    "download.prompt_for_download": false,
                },
            },
        }}});
        let v = b
            .request("POST", "/session", Some(&caps))
            .expect("new session");
        b.session = v["value"]["sessionId"]
            .as_str()
            .expect("a session id")
            .to_owned();
        // Headless Chromium ignores the download preferences; the DevTools command is obeyed.
        b.command(
            "POST",
            "/goog/cdp/execute",
            Some(&json!({ "cmd": "Browser.setDownloadBehavior", "params": {
                "behavior": "allow", "downloadPath": downloads.display().to_string(),
            }})),
        );
        b
    }

    fn request(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| e.to_string())?;
        s.set_read_timeout(Some(Duration::from_secs(60)))
            .map_err(|e| e.to_string())?;
        let body = body.map(Value::to_string).unwrap_or_default();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        s.write_all(head.as_bytes())
            .and_then(|()| s.write_all(body.as_bytes()))
            .map_err(|e| e.to_string())?;
        // chromedriver keeps the connection open: read the head, then Content-Length bytes.
        let mut reader = BufReader::new(s);
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).map_err(|e| e.to_string())? == 0 || line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().map_err(|_| "bad Content-Length")?;
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).map_err(|e| e.to_string())?;
        let v: Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        if let Some(err) = v["value"].get("error") {
            return Err(format!("{err}: {}", v["value"]["message"]));
        }
        Ok(v)
    }

    fn command(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        match self.request(method, &path, body) {
            Ok(v) => v["value"].clone(),
            Err(e) => panic!("WebDriver {method} {path}: {e}"),
        }
    }

    pub(crate) fn goto(&self, url: &str) {
        self.command("POST", "/url", Some(&json!({ "url": url })));
    }

    /// Runs `script` (a function body; `arguments` are `args`) in the page and returns its
    /// value.
    pub(crate) fn js(&self, script: &str, args: &[Value]) -> Value {
        self.command(
            "POST",
            "/execute/sync",
            Some(&json!({ "script": script, "args": args })),
        )
    }

    /// Runs `script` as an asynchronous script: it calls its last argument (the callback
    /// WebDriver appends after `args`) with the value to return, within 60 s.
    pub(crate) fn js_async(&self, script: &str, args: &[Value]) -> Value {
        self.command("POST", "/timeouts", Some(&json!({ "script": 60_000 })));
        self.command(
            "POST",
            "/execute/async",
            Some(&json!({ "script": script, "args": args })),
        )
    }

    /// Presses and releases each key of `keys` in turn, as a person at the keyboard does, on
    /// whatever has the focus (WebDriver Actions: trusted key events, so the browser's own
    /// behaviour runs: Tab moves the focus, Enter activates, ArrowUp steps a number). Special
    /// keys are the [`Key`] code points.
    pub(crate) fn keys(&self, keys: &str) {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|k| {
                let k = k.to_string();
                [
                    json!({ "type": "keyDown", "value": k }),
                    json!({ "type": "keyUp", "value": k }),
                ]
            })
            .collect();
        self.key_actions(actions);
    }

    /// Holds `keys` down together, in order, then lets them go in reverse: a shortcut such
    /// as Shift+Tab.
    pub(crate) fn chord(&self, keys: &[char]) {
        let down = keys
            .iter()
            .map(|k| json!({ "type": "keyDown", "value": k.to_string() }));
        let up = keys
            .iter()
            .rev()
            .map(|k| json!({ "type": "keyUp", "value": k.to_string() }));
        self.key_actions(down.chain(up).collect());
    }

    /// Performs one keyboard's `actions` (WebDriver "Perform Actions"), then releases
    /// whatever is still held.
    fn key_actions(&self, actions: Vec<Value>) {
        self.command(
            "POST",
            "/actions",
            Some(&json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] })),
        );
        self.command("DELETE", "/actions", None);
    }

    /// Polls `condition` (a JS expression) until it is truthy.
    pub(crate) fn wait_for(&self, condition: &str, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        let script = format!("return !!({condition});");
        while self.js(&script, &[]) != Value::Bool(true) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The browser console since the last call (chromedriver's log endpoint).
    pub(crate) fn console(&self) -> Vec<Value> {
        self.command("POST", "/se/log", Some(&json!({ "type": "browser" })))
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Chooses `paths` in the file input matching `css` (WebDriver "send keys" to a file input).
    pub(crate) fn upload(&self, css: &str, paths: &[PathBuf]) {
        let found = self.command(
            "POST",
            "/element",
            Some(&json!({ "using": "css selector", "value": css })),
        );
        let id = found["element-6066-11e4-a52e-4f735466cecf"]
            .as_str()
            .expect("an element id")
            .to_owned();
        let text: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        self.command(
            "POST",
            &format!("/element/{id}/value"),
            Some(&json!({ "text": text.join("\n") })),
        );
    }

    pub(crate) fn set_size(&self, width: u32, height: u32) {
        self.command(
            "POST",
            "/window/rect",
            Some(&json!({ "width": width, "height": height })),
        );
    }

    /// A PNG of the viewport.
    pub(crate) fn screenshot(&self) -> Vec<u8> {
        let b64 = self.command("GET", "/screenshot", None);
        base64_decode(b64.as_str().unwrap_or_default())
    }
}

/// WebDriver's code points for the keys that are not characters (W3C WebDriver, "Keyboard
/// actions"), for [`Browser::keys`].
pub(crate) struct Key;

impl Key {
    pub(crate) const TAB: char = '\u{E004}';
    pub(crate) const ENTER: char = '\u{E007}';
    pub(crate) const SHIFT: char = '\u{E008}';
    pub(crate) const ESCAPE: char = '\u{E00C}';
    pub(crate) const END: char = '\u{E010}';
    pub(crate) const HOME: char = '\u{E011}';
    pub(crate) const LEFT: char = '\u{E012}';
    pub(crate) const UP: char = '\u{E013}';
    pub(crate) const RIGHT: char = '\u{E014}';
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.request("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let digits: Vec<u8> = text.bytes().filter_map(value).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &d)| n | (u32::from(d) << (18 - 6 * i)));
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}
