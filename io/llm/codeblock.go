package llm

import (
	"errors"
	"fmt"
	"strings"
)

// ParseReason says why no code could be taken from a reply.
type ParseReason string

// Parse failure reasons, usable as reject reasons ("parse:" + reason).
const (
	ParseEmpty     ParseReason = "empty"           // blank reply or blank code block
	ParseNoCode    ParseReason = "no_code_block"   // no fence and the reply is not bare Python
	ParseMultiple  ParseReason = "multiple_blocks" // several candidate blocks, none singled out
	ParseTruncated ParseReason = "truncated"       // an opening fence never closed
)

// ParseError is the typed error of ExtractCode.
type ParseError struct {
	Reason ParseReason
	Detail string
}

// Error names the reason and what was seen.
func (e *ParseError) Error() string { return fmt.Sprintf("extract code: %s: %s", e.Reason, e.Detail) }

// ErrParse is matched (errors.Is) by every *ParseError.
var ErrParse = errors.New("extract code")

// Is makes errors.Is(err, ErrParse) hold.
func (e *ParseError) Is(target error) bool { return target == ErrParse }

// Block is one fenced block of a reply.
type Block struct {
	Lang   string // info string, lower-cased ("python", "py", "")
	Code   string
	Closed bool // false when the reply ended inside the block
}

// Blocks splits text into its fenced blocks. A fence is a line of three or
// more backticks; it closes on a bare backtick line at least as long, so
// code that itself contains ``` can be wrapped in a longer fence.
func Blocks(text string) []Block {
	var out []Block
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		n, lang := openFence(lines[i])
		if n == 0 {
			continue
		}
		b := Block{Lang: lang}
		var body []string
		for i++; i < len(lines); i++ {
			if closesFence(lines[i], n) {
				b.Closed = true
				break
			}
			body = append(body, lines[i])
		}
		b.Code = strings.Join(body, "\n")
		out = append(out, b)
	}
	return out
}

func openFence(line string) (int, string) {
	t := strings.TrimSpace(line)
	n := len(t) - len(strings.TrimLeft(t, "`"))
	if n < 3 {
		return 0, ""
	}
	return n, strings.ToLower(strings.TrimSpace(t[n:]))
}

func closesFence(line string, n int) bool {
	t := strings.TrimSpace(line)
	return len(t) >= n && strings.Trim(t, "`") == ""
}

func isPython(lang string) bool {
	switch lang {
	case "python", "py", "python3":
		return true
	}
	return false
}

// ExtractCode takes the Python code out of a model reply.
//
// Decisions: exactly one fenced block is taken whatever its tag. With
// several blocks, the single python-tagged one is taken (models often add
// a shell or output block); several python blocks are ambiguous and
// rejected. A reply without fences is accepted only when its first
// non-blank line starts a Python statement (import, from, def, class, @,
// #), since prose replies would otherwise reach the sandbox. A reply that
// ends inside an opened block was cut off: truncated.
func ExtractCode(reply string) (string, error) {
	if strings.TrimSpace(reply) == "" {
		return "", &ParseError{ParseEmpty, "reply is blank"}
	}
	blocks := Blocks(reply)
	if len(blocks) == 0 {
		return bareCode(reply)
	}
	if last := blocks[len(blocks)-1]; !last.Closed {
		return "", &ParseError{ParseTruncated, fmt.Sprintf("block %d opened but never closed", len(blocks))}
	}
	pick, err := pickBlock(blocks)
	if err != nil {
		return "", err
	}
	code := strings.TrimSpace(pick.Code)
	if code == "" {
		return "", &ParseError{ParseEmpty, "code block is blank"}
	}
	return code + "\n", nil
}

func pickBlock(blocks []Block) (Block, error) {
	if len(blocks) == 1 {
		return blocks[0], nil
	}
	var py []Block
	for _, b := range blocks {
		if isPython(b.Lang) {
			py = append(py, b)
		}
	}
	if len(py) == 1 {
		return py[0], nil
	}
	return Block{}, &ParseError{ParseMultiple, fmt.Sprintf("%d blocks, %d tagged python", len(blocks), len(py))}
}

var pythonStarts = []string{"import ", "from ", "def ", "async def ", "class ", "@", "#"}

func bareCode(reply string) (string, error) {
	for _, line := range strings.Split(reply, "\n") {
		t := strings.TrimSpace(line)
		if t == "" {
			continue
		}
		for _, p := range pythonStarts {
			if strings.HasPrefix(line, p) {
				return strings.TrimSpace(reply) + "\n", nil
			}
		}
		return "", &ParseError{ParseNoCode, fmt.Sprintf("no fenced block and reply starts with %q", clip(t, 40))}
	}
	return "", &ParseError{ParseEmpty, "reply is blank"}
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
