package greet

import "strings"

// Message greets name, shouting it.
func Message(name string) string {
	return "greetings, " + strings.ToUpper(name) + ", from go install"
}
