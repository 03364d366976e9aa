package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
)

// unitsDir holds the systemd units a DRIMbox installs.
var unitsDir = filepath.Join("..", "..", "dist", "systemd")

var (
	drimmBinaryOnce sync.Once
	drimmBinary     string
	drimmBinaryErr  error
)

// buildDrimm builds drimm once for the tests that run it as a DRIMbox
// does, with the drimm_testclock tag so that DRIMM_TEST_NOW fixes its
// clock.
func buildDrimm(t *testing.T) string {
	t.Helper()
	drimmBinaryOnce.Do(func() {
		dir, err := os.MkdirTemp("", "drimm-bin-")
		if err != nil {
			drimmBinaryErr = err
			return
		}
		drimmBinary = filepath.Join(dir, "drimm")
		out, err := exec.Command("go", "build", "-tags", "drimm_testclock", "-o", drimmBinary, filepath.Join("..", "..", "cmd", "drimm")).CombinedOutput()
		if err != nil {
			drimmBinaryErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if drimmBinaryErr != nil {
		t.Fatalf("building drimm: %v", drimmBinaryErr)
	}
	return drimmBinary
}

// The shipped units pass systemd-analyze verify in a root that holds
// what they name: drimm at its ExecStart path, the vendor's hook, and the
// system's own units; sysusers.d and tmpfiles.d make the user and folders
// there.
func TestSystemdUnitsVerify(t *testing.T) {
	requireTool(t, "systemd-analyze", "systemd")
	requireTool(t, "systemd-sysusers", "systemd")
	requireTool(t, "systemd-tmpfiles", "systemd")
	// sysusers and tmpfiles read a relative path under --root.
	unitsDir, err := filepath.Abs(unitsDir)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	units := filepath.Join(root, "etc", "systemd", "system")
	copyFile := func(src, dst string, mode os.FileMode) {
		t.Helper()
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, mode); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	entries, err := os.ReadDir(unitsDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if ext := filepath.Ext(e.Name()); ext == ".service" || ext == ".timer" {
			copyFile(filepath.Join(unitsDir, e.Name()), filepath.Join(units, e.Name()), 0o644)
			names = append(names, e.Name())
		}
	}
	copyFile(buildDrimm(t), filepath.Join(root, "usr", "local", "bin", "drimm"), 0o755)
	os.MkdirAll(filepath.Join(root, "usr", "local", "libexec", "drimbox"), 0o755)
	os.WriteFile(filepath.Join(root, "usr", "local", "libexec", "drimbox", "stop-trusting"), []byte("#!/bin/sh\n# the vendor's hook\n"), 0o755)
	// The system's units (sysinit.target, network-online.target, ...),
	// which verify loads the shipped ones against.
	if err := os.MkdirAll(filepath.Join(root, "usr", "lib", "systemd"), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("cp", "-a", "/usr/lib/systemd/system", filepath.Join(root, "usr", "lib", "systemd")+"/").CombinedOutput(); err != nil {
		t.Fatalf("copying the system's units: %v\n%s", err, out)
	}
	cmd := exec.Command("systemd-analyze", append([]string{"verify", "--root=" + root}, names...)...)
	cmd.Dir = units
	if out, err := cmd.CombinedOutput(); err != nil || len(out) != 0 {
		t.Fatalf("systemd-analyze verify %v: %v\n%s", names, err, out)
	}

	// What verify does not check: the hook fires (OnFailure= in [Unit]),
	// the timer catches up after downtime, the service is confined.
	fetchUnit := readUnit(t, filepath.Join(unitsDir, "drimm-whitelist-fetch.service"))
	timer := readUnit(t, filepath.Join(unitsDir, "drimm-whitelist-fetch.timer"))
	for _, want := range []struct {
		unit       map[string][]string
		key, value string
	}{
		{fetchUnit, "Unit.OnFailure", "drimm-whitelist-stop-trusting.service"},
		{fetchUnit, "Service.User", "drimbox"},
		{fetchUnit, "Service.SuccessExitStatus", "1"},
		{fetchUnit, "Service.ProtectSystem", "strict"},
		{fetchUnit, "Service.NoNewPrivileges", "yes"},
		{fetchUnit, "Service.CapabilityBoundingSet", ""},
		{fetchUnit, "Service.SystemCallFilter", "@system-service"},
		{timer, "Timer.Persistent", "true"},
		{timer, "Timer.OnCalendar", "*:0/5"},
	} {
		if !slices.Contains(want.unit[want.key], want.value) {
			t.Errorf("%s = %q, want %q among them", want.key, want.unit[want.key], want.value)
		}
	}
	if out, err := exec.Command("systemd-analyze", "calendar", "--iterations=2", timer["Timer.OnCalendar"][0]).CombinedOutput(); err != nil {
		t.Errorf("OnCalendar: %v\n%s", err, out)
	}

	// The user and the folders, made in the test root.
	if out, err := exec.Command("systemd-sysusers", "--root="+root, filepath.Join(unitsDir, "drimbox.sysusers.conf")).CombinedOutput(); err != nil {
		t.Fatalf("systemd-sysusers: %v\n%s", err, out)
	}
	passwd, _ := os.ReadFile(filepath.Join(root, "etc", "passwd"))
	if !regexp.MustCompile(`(?m)^drimbox:x:\d+:\d+:`).Match(passwd) {
		t.Fatalf("sysusers made no drimbox user:\n%s", passwd)
	}
	tmpfiles := filepath.Join(unitsDir, "drimbox.tmpfiles.conf")
	if os.Geteuid() != 0 {
		// Only root gives files away: check the lines, owners aside.
		data, _ := os.ReadFile(tmpfiles)
		tmpfiles = filepath.Join(t.TempDir(), "drimbox.conf")
		os.WriteFile(tmpfiles, regexp.MustCompile(`(?m)^(d \S+\s+\S+)\s+\S+\s+\S+`).ReplaceAll(data, []byte("$1 - -")), 0o644)
		t.Log("not root: tmpfiles.d checked without giving the folders to drimbox")
	}
	if out, err := exec.Command("systemd-tmpfiles", "--root="+root, "--create", tmpfiles).CombinedOutput(); err != nil || len(out) != 0 {
		t.Fatalf("systemd-tmpfiles: %v\n%s", err, out)
	}
	for _, d := range []string{"etc/drimbox", "var/lib/drimbox/liste-blanche", "var/cache/drimbox/crl"} {
		if fi, err := os.Stat(filepath.Join(root, d)); err != nil || !fi.IsDir() {
			t.Errorf("tmpfiles made no /%s: %v", d, err)
		}
	}
}

// readUnit reads a unit file as "Section.Key" → values, continuation
// lines joined.
func readUnit(t *testing.T, path string) map[string][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	section := ""
	text := strings.ReplaceAll(string(data), "\\\n", " ")
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "["):
			section = strings.Trim(line, "[]")
		default:
			k, v, _ := strings.Cut(line, "=")
			out[section+"."+k] = append(out[section+"."+k], v)
		}
	}
	return out
}

// The manual includes the units by reference, and its command is the
// one the service runs.
func TestManualPointsAtTheShippedUnits(t *testing.T) {
	data, err := os.ReadFile(drimboxManual)
	if err != nil {
		t.Fatal(err)
	}
	manual := string(data)
	if strings.Contains(manual, "[Service]") || strings.Contains(manual, "[Timer]") {
		t.Error("the manual holds a copy of a unit: point at tool/dist/systemd instead")
	}
	entries, err := os.ReadDir(unitsDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.Contains(manual, "(../../dist/systemd/"+e.Name()+")") {
			t.Errorf("the manual does not link tool/dist/systemd/%s", e.Name())
		}
	}
	shell, _ := manualBlocks(t, "")
	var command string
	for _, b := range shell {
		if strings.HasPrefix(b, "drimm whitelist fetch ") {
			command = strings.Join(strings.Fields(b), " ")
		}
	}
	exec := strings.Join(strings.Fields(readUnit(t, filepath.Join(unitsDir, "drimm-whitelist-fetch.service"))["Service.ExecStart"][0]), " ")
	if command == "" || !strings.HasPrefix(exec, "/usr/local/bin/"+command) {
		t.Errorf("the service runs\n%s\nthe manual says\n%s", exec, command)
	}
}
