package main

import (
	"fmt"
	"os"

	"example.com/greeter/internal/greet"
)

func main() {
	name := "lab"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	fmt.Println(greet.Message(name))
}
