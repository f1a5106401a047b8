// wordcount counts the words of its arguments. It imports no package that uses cgo, so even
// a build with cgo on links statically: the original runs on distroless static, and the
// rewrite (CGO_ENABLED=0 added) must keep running there.
package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	words := strings.Fields(strings.Join(os.Args[1:], " "))
	fmt.Printf("%d words\n", len(words))
}
