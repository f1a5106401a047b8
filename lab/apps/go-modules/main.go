// Prints the name-based (version 5) UUID of each DNS name given.
package main

import (
	"fmt"
	"os"

	"github.com/google/uuid"
)

func main() {
	names := os.Args[1:]
	if len(names) == 0 {
		names = []string{"example.com"}
	}
	for _, name := range names {
		fmt.Printf("%s %s\n", uuid.NewSHA1(uuid.NameSpaceDNS, []byte(name)), name)
	}
}
