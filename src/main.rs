fn main() {
    linli::start();
}
