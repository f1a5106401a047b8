// server answers over HTTP. The net package uses cgo's resolver when cgo is on (the golang
// image's default), so the binary links glibc dynamically and cannot start on distroless
// static until it is built with CGO_ENABLED=0.
package main

import (
	"fmt"
	"log"
	"net/http"
	"runtime"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "static server (%s)\n", runtime.Version()[:6])
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
