// A small site that reads its templates and static files from the working directory at
// run time, as many Go web apps do.
package main

import (
	"html/template"
	"log"
	"net/http"
)

func main() {
	page := template.Must(template.ParseFiles("templates/index.html"))
	http.Handle("/static/", http.StripPrefix("/static/", http.FileServer(http.Dir("static"))))
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if err := page.Execute(w, map[string]string{"Name": "build lab"}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
