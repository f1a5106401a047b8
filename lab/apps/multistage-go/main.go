// A JSON API built in a golang stage and shipped in a debian:13-slim stage.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"
)

func main() {
	http.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"status": "ok", "uid": os.Getuid()})
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
