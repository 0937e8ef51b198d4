// A peer for bench/compare.sh: the resume as a full-screen TUI over SSH, written the way a
// typical "ssh portfolio" is written with charmbracelet wish + bubbletea. It is built offline by
// bench/wish.sh from Debian bookworm's packages (wish 0.1.1, bubbletea 0.19.1, lipgloss, reflow,
// gliderlabs/ssh 0.3.3, x/crypto 0.4.0, Go 1.19) in GOPATH mode, so it uses those versions' APIs.
//
//	wish-peer --listen 127.0.0.1:2223 --host-key keys/wish_ed25519 --resume-text resume.txt
//
// Like resume-ssh it needs no authentication: with no password, public-key or
// keyboard-interactive handler set, gliderlabs/ssh sets NoClientAuth, so SSH "none" succeeds for
// any user. A PTY session gets a bubbletea program in the alternate screen: a title line, the
// resume text word-wrapped (and hard-cut) to the window's width and scrolled with j/k (or the
// arrow keys), and on the last row a footer with "q quit". q (or ctrl+c) quits; the session then
// ends with exit status 0. A session without a PTY is refused with exit status 1 (activeterm).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/ioutil"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/wish"
	"github.com/charmbracelet/wish/activeterm"
	bm "github.com/charmbracelet/wish/bubbletea"
	lm "github.com/charmbracelet/wish/logging"
	"github.com/gliderlabs/ssh"
	"github.com/muesli/reflow/truncate"
	"github.com/muesli/reflow/wordwrap"
	"github.com/muesli/reflow/wrap"
)

var (
	titleStyle  = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("205"))
	footerStyle = lipgloss.NewStyle().Foreground(lipgloss.Color("241"))
)

type model struct {
	title  string
	text   string   // the resume body, as exported
	lines  []string // text wrapped to width
	width  int
	height int
	offset int
}

func (m model) Init() tea.Cmd { return nil }

// bodyHeight is the rows between the title line and the footer.
func (m model) bodyHeight() int {
	if m.height < 2 {
		return 0
	}
	return m.height - 2
}

func (m model) clamp(offset int) int {
	last := len(m.lines) - m.bodyHeight()
	if offset > last {
		offset = last
	}
	if offset < 0 {
		offset = 0
	}
	return offset
}

func (m model) resize(width, height int) model {
	m.width, m.height = width, height
	if m.width > 0 {
		// Word-wrap, then hard-wrap words longer than the width.
		m.lines = strings.Split(wrap.String(wordwrap.String(m.text, m.width), m.width), "\n")
	}
	m.offset = m.clamp(m.offset)
	return m
}

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m = m.resize(msg.Width, msg.Height)
	case tea.KeyMsg:
		switch msg.String() {
		case "q", "ctrl+c":
			return m, tea.Quit
		case "j", "down":
			m.offset = m.clamp(m.offset + 1)
		case "k", "up":
			m.offset = m.clamp(m.offset - 1)
		}
	}
	return m, nil
}

func (m model) View() string {
	if m.width == 0 || m.height == 0 {
		return "" // the window size has not come yet
	}
	var b strings.Builder
	b.WriteString(titleStyle.Render(truncate.String(m.title, uint(m.width))))
	b.WriteString("\n")
	for i := 0; i < m.bodyHeight(); i++ {
		if j := m.offset + i; j < len(m.lines) {
			b.WriteString(m.lines[j])
		}
		b.WriteString("\n")
	}
	footer := "j/k scroll • q quit"
	if n := len(m.lines) - m.bodyHeight(); n > 0 {
		footer = fmt.Sprintf("%s • %d%%", footer, m.offset*100/n)
	}
	b.WriteString(footerStyle.Render(truncate.String(footer, uint(m.width))))
	return b.String()
}

func main() {
	listen := flag.String("listen", "127.0.0.1:2223", "address to listen on (loopback only)")
	hostKey := flag.String("host-key", "keys/wish_ed25519", "Ed25519 host key (created if missing; the name must then end in _ed25519)")
	resumeText := flag.String("resume-text", "resume.txt", "the resume as plain text (resume-ssh export plain)")
	flag.Parse()

	host, _, err := net.SplitHostPort(*listen)
	if err != nil {
		log.Fatalf("--listen %s: %v", *listen, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		log.Fatalf("--listen %s: loopback addresses only", *listen)
	}
	// wish 0.1.1's WithHostKeyPath writes a missing key as <dir>/<name without _ed25519>_ed25519.
	if _, err := os.Stat(*hostKey); errors.Is(err, os.ErrNotExist) && !strings.HasSuffix(filepath.Base(*hostKey), "_ed25519") {
		log.Fatalf("--host-key %s does not exist; a new key's name must end in _ed25519", *hostKey)
	}
	raw, err := ioutil.ReadFile(*resumeText)
	if err != nil {
		log.Fatalf("--resume-text: %v", err)
	}
	text := strings.TrimSpace(strings.ReplaceAll(string(raw), "\r\n", "\n"))
	title, body := text, ""
	if i := strings.IndexByte(text, '\n'); i >= 0 {
		title, body = text[:i], strings.TrimLeft(text[i+1:], "\n")
	}
	title = strings.TrimSpace(strings.TrimLeft(title, "# "))

	teaHandler := func(s ssh.Session) (tea.Model, []tea.ProgramOption) {
		pty, _, active := s.Pty()
		if !active {
			return nil, nil
		}
		// As in wish's own bubbletea example, the model starts at the PTY request's size. (The
		// middleware also sends that size as a WindowSizeMsg, but with bubbletea 0.19 it can be
		// dropped: Program.Send is a no-op until Start has made the program's channel.)
		m := model{title: title, text: body}.resize(pty.Window.Width, pty.Window.Height)
		return m, []tea.ProgramOption{tea.WithAltScreen()}
	}

	s, err := wish.NewServer(
		wish.WithAddress(*listen),
		wish.WithHostKeyPath(*hostKey),
		wish.WithMiddleware(
			bm.Middleware(teaHandler),
			activeterm.Middleware(),
			lm.Middleware(),
		),
	)
	if err != nil {
		log.Fatalln(err)
	}

	done := make(chan os.Signal, 1)
	signal.Notify(done, os.Interrupt, syscall.SIGTERM)
	log.Printf("starting SSH server on %s", *listen)
	go func() {
		if err := s.ListenAndServe(); err != nil && !errors.Is(err, ssh.ErrServerClosed) {
			log.Fatalln(err)
		}
	}()
	<-done
	log.Println("stopping SSH server")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil && !errors.Is(err, ssh.ErrServerClosed) {
		log.Fatalln(err)
	}
}
