//! A minimal HTTPS server on :8443 using the openssl crate (links the system libssl).
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::thread;

use openssl::pkey::PKey;
use openssl::ssl::{SslAcceptor, SslMethod};
use openssl::x509::X509;

const CERT: &[u8] = include_bytes!("../certs/cert.pem");
const KEY: &[u8] = include_bytes!("../certs/key.pem");

fn main() {
    let mut acceptor = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls()).expect("acceptor");
    acceptor
        .set_certificate(&X509::from_pem(CERT).expect("certificate"))
        .expect("set certificate");
    acceptor
        .set_private_key(&PKey::private_key_from_pem(KEY).expect("key"))
        .expect("set key");
    let acceptor = Arc::new(acceptor.build());
    let listener = TcpListener::bind("0.0.0.0:8443").expect("bind :8443");
    eprintln!("listening on :8443 ({})", openssl::version::version());
    for stream in listener.incoming().flatten() {
        let acceptor = Arc::clone(&acceptor);
        thread::spawn(move || {
            let Ok(mut tls) = acceptor.accept(stream) else { return };
            let mut request = [0u8; 1024];
            let _ = tls.read(&mut request);
            let body = "hello over tls\n";
            let _ = write!(
                tls,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
                body.len(),
                body
            );
        });
    }
}
