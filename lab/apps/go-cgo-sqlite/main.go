// An HTTP service backed by SQLite through github.com/mattn/go-sqlite3 (cgo).
package main

import (
	"database/sql"
	"fmt"
	"log"
	"net/http"

	_ "github.com/mattn/go-sqlite3"
)

func main() {
	db, err := sql.Open("sqlite3", "file:fruits.db?mode=memory&cache=shared")
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	for _, stmt := range []string{
		"CREATE TABLE fruits (name TEXT, price INTEGER)",
		"INSERT INTO fruits VALUES ('apple', 3), ('banana', 2), ('cherry', 7)",
	} {
		if _, err := db.Exec(stmt); err != nil {
			log.Fatal(err)
		}
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		var names string
		var total int
		err := db.QueryRow("SELECT group_concat(name, ','), sum(price) FROM (SELECT * FROM fruits ORDER BY name)").Scan(&names, &total)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(w, "fruits=%s total=%d\n", names, total)
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
