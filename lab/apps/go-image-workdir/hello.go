// hello is built from one file in the golang image's own working directory ($GOPATH, /go),
// with no go.mod and no WORKDIR in the Dockerfile, and started by a relative path.
package main

import (
	"fmt"
	"os"
	"runtime"
)

func main() {
	dir, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(os.Stderr, "hello:", err)
		os.Exit(1)
	}
	fmt.Printf("hello from %s in %s\n", runtime.Version()[:6], dir)
}
