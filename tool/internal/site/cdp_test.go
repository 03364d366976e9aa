package site

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"
)

// devtools drives headless Chromium over the DevTools protocol on a pipe
// (--remote-debugging-pipe: commands in on fd 3, answers out on fd 4,
// each message ended by a NUL byte), for what command-line switches
// cannot do: emulate forced colours and a dark scheme, set the reader's
// default font size, read computed styles, take screenshots.
type devtools struct {
	t       testing.TB
	cmd     *exec.Cmd
	in      *os.File
	mu      sync.Mutex
	next    int
	waiting map[int]chan cdpReply
	events  chan cdpReply
	session string
	cancel  context.CancelFunc
}

type cdpReply struct {
	ID     int             `json:"id"`
	Method string          `json:"method"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error"`
	SessionID string `json:"sessionId"`
}

// newDevtools starts Chromium with a page of width×height CSS pixels and
// attaches to it; Chromium stops with the test.
func newDevtools(t testing.TB, width, height int) *devtools {
	t.Helper()
	bin := chromiumPath
	if _, err := os.Stat(bin); err != nil {
		var lerr error
		if bin, lerr = exec.LookPath("chromium"); lerr != nil {
			t.Fatalf("chromium not found: install chromium")
		}
	}
	toChrome, ourEnd, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	fromChrome, chromeEnd, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--remote-debugging-pipe",
		"--user-data-dir="+t.TempDir(), "about:blank")
	cmd.ExtraFiles = []*os.File{toChrome, chromeEnd} // fds 3 and 4
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("starting chromium: %v", err)
	}
	toChrome.Close()
	chromeEnd.Close()
	d := &devtools{t: t, cmd: cmd, in: ourEnd, waiting: map[int]chan cdpReply{}, events: make(chan cdpReply, 256), cancel: cancel}
	go d.read(fromChrome)
	t.Cleanup(d.close)
	var target struct{ TargetID string }
	d.call("", "Target.createTarget", map[string]any{"url": "about:blank"}, &target)
	var att struct{ SessionID string }
	d.call("", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att)
	d.session = att.SessionID
	d.do("Page.enable", nil)
	d.do("Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false})
	return d
}

func (d *devtools) read(r *os.File) {
	br := bufio.NewReader(r)
	for {
		msg, err := br.ReadBytes(0)
		if err != nil {
			return
		}
		var rep cdpReply
		if json.Unmarshal(msg[:len(msg)-1], &rep) != nil {
			continue
		}
		if rep.ID == 0 {
			select {
			case d.events <- rep:
			default: // nobody waits for that many events
			}
			continue
		}
		d.mu.Lock()
		ch := d.waiting[rep.ID]
		delete(d.waiting, rep.ID)
		d.mu.Unlock()
		if ch != nil {
			ch <- rep
		}
	}
}

// close asks Chromium to quit, so that it is done with its profile
// before the test removes it, and kills it if it does not.
func (d *devtools) close() {
	d.mu.Lock()
	d.next++
	msg, _ := json.Marshal(map[string]any{"id": d.next, "method": "Browser.close", "params": map[string]any{}})
	d.mu.Unlock()
	d.in.Write(append(msg, 0))
	done := make(chan struct{})
	go func() { d.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		d.cancel()
		<-done
	}
	d.cancel()
	d.in.Close()
}

// call sends a command and decodes its result into out (may be nil).
func (d *devtools) call(session, method string, params any, out any) {
	d.t.Helper()
	d.mu.Lock()
	d.next++
	id := d.next
	ch := make(chan cdpReply, 1)
	d.waiting[id] = ch
	d.mu.Unlock()
	msg := map[string]any{"id": id, "method": method, "params": params}
	if params == nil {
		msg["params"] = map[string]any{}
	}
	if session != "" {
		msg["sessionId"] = session
	}
	data, _ := json.Marshal(msg)
	if _, err := d.in.Write(append(data, 0)); err != nil {
		d.t.Fatalf("devtools %s: %v", method, err)
	}
	select {
	case rep := <-ch:
		if rep.Error != nil {
			d.t.Fatalf("devtools %s: %s", method, rep.Error.Message)
		}
		if out != nil {
			if err := json.Unmarshal(rep.Result, out); err != nil {
				d.t.Fatalf("devtools %s: %v", method, err)
			}
		}
	case <-time.After(90 * time.Second):
		d.t.Fatalf("devtools %s: no answer", method)
	}
}

func (d *devtools) do(method string, params any) {
	d.t.Helper()
	d.call(d.session, method, params, nil)
}

// navigate loads url and waits for its load event.
func (d *devtools) navigate(url string) {
	d.t.Helper()
	for len(d.events) > 0 {
		<-d.events
	}
	d.do("Page.navigate", map[string]any{"url": url})
	deadline := time.After(90 * time.Second)
	for {
		select {
		case ev := <-d.events:
			if ev.Method == "Page.loadEventFired" {
				return
			}
		case <-deadline:
			d.t.Fatalf("%s: no load event", url)
		}
	}
}

// eval runs expr in the page and decodes its value (JSON) into out.
func (d *devtools) eval(expr string, out any) {
	d.t.Helper()
	var res struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	d.call(d.session, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, &res)
	if res.ExceptionDetails != nil {
		d.t.Fatalf("evaluating %s: %s", expr, res.ExceptionDetails.Text)
	}
	if err := json.Unmarshal(res.Result.Value, out); err != nil {
		d.t.Fatalf("evaluating %s: %v (%s)", expr, err, res.Result.Value)
	}
}

// media emulates CSS media features, e.g. "forced-colors": "active".
func (d *devtools) media(features map[string]string) {
	d.t.Helper()
	fs := []map[string]string{}
	for k, v := range features {
		fs = append(fs, map[string]string{"name": k, "value": v})
	}
	d.do("Emulation.setEmulatedMedia", map[string]any{"features": fs})
}

// screenshot returns a PNG of the whole page.
func (d *devtools) screenshot() []byte {
	d.t.Helper()
	var res struct{ Data string }
	d.call(d.session, "Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true}, &res)
	png, err := base64.StdEncoding.DecodeString(res.Data)
	if err != nil {
		d.t.Fatal(fmt.Errorf("screenshot: %w", err))
	}
	return png
}
