//! Bytes handed from an async request body to a blocking reader (the BACI scan) as they arrive:
//! a bounded channel, so a fast sender waits for the parser instead of filling memory. The reader
//! sees the end of the bytes only when the sender says so ([`PipeWriter::end`]); a sender dropped
//! before that (the request cut off or refused) is a read error, never a short file taken whole.

use std::io::Read;

/// Chunks in flight at most (a request body's frames are at most a few hundred KB).
pub const PIPE_DEPTH: usize = 64;

enum Piece {
    Bytes(Vec<u8>),
    End,
}

/// The sending half (async).
#[derive(Debug)]
pub struct PipeWriter {
    tx: tokio::sync::mpsc::Sender<Piece>,
}

/// The receiving half: a blocking [`Read`].
#[derive(Debug)]
pub struct PipeReader {
    rx: tokio::sync::mpsc::Receiver<Piece>,
    current: Vec<u8>,
    at: usize,
    ended: bool,
}

impl std::fmt::Debug for Piece {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Piece::Bytes(b) => write!(f, "Bytes({})", b.len()),
            Piece::End => write!(f, "End"),
        }
    }
}

/// A new pipe.
pub fn pipe() -> (PipeWriter, PipeReader) {
    let (tx, rx) = tokio::sync::mpsc::channel(PIPE_DEPTH);
    (
        PipeWriter { tx },
        PipeReader {
            rx,
            current: Vec::new(),
            at: 0,
            ended: false,
        },
    )
}

impl PipeWriter {
    /// Sends bytes; false when the reader has stopped (it failed or finished early).
    pub async fn send(&self, chunk: &[u8]) -> bool {
        chunk.is_empty() || self.tx.send(Piece::Bytes(chunk.to_vec())).await.is_ok()
    }

    /// Says that every byte was sent.
    pub async fn end(self) {
        let _ = self.tx.send(Piece::End).await;
    }
}

impl Read for PipeReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.current.len() {
            if self.ended {
                return Ok(0);
            }
            match self.rx.blocking_recv() {
                Some(Piece::Bytes(b)) => (self.current, self.at) = (b, 0),
                Some(Piece::End) => self.ended = true,
                None => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        "the upload was cut off before its end",
                    ));
                }
            }
        }
        let n = buf.len().min(self.current.len() - self.at);
        buf[..n].copy_from_slice(&self.current[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reader_sees_every_byte_and_a_cut_off_sender_is_an_error() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let (w, mut r) = pipe();
        let reader = std::thread::spawn(move || {
            let mut s = String::new();
            r.read_to_string(&mut s).map(|_| s)
        });
        rt.block_on(async {
            assert!(w.send(b"t,i,j").await);
            assert!(w.send(b",k,v,q\n").await);
            w.end().await;
        });
        assert_eq!(reader.join().unwrap().unwrap(), "t,i,j,k,v,q\n");
        let (w, mut r) = pipe();
        let reader = std::thread::spawn(move || {
            let mut s = Vec::new();
            r.read_to_end(&mut s)
        });
        rt.block_on(async {
            assert!(w.send(b"t,i,j").await);
            drop(w);
        });
        let e = reader.join().unwrap().unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::UnexpectedEof);
    }
}
