// app logs a line on stderr and prints one on stdout; the container starts it through
// `sh -c` with both piped into tee, so the runtime image needs a shell and tee.
package main

import (
	"fmt"
	"log"
	"runtime"
)

func main() {
	log.SetFlags(0)
	log.Print("app: starting")
	fmt.Printf("app: hello from %s, logged through tee\n", runtime.Version()[:6])
}
