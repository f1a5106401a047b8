//! Prints a line. Built for the gnu target, it links glibc dynamically, which distroless
//! static lacks: the container cannot start until STAT001's fix adds `+crt-static`.
fn main() {
    println!("hello from a static rust binary");
}
