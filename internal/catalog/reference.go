package catalog

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// AWS's service-reference format: a list of services, then one JSON document per service (the
// format is described in ../shared/iam-catalog/README.md and on
// https://docs.aws.amazon.com/service-authorization/latest/reference/service-reference.html).

// Limits on what a service reference may hold; AWS's own is well inside them (442 services, the
// largest file 0.6 MB). They keep a damaged or hostile copy from costing unbounded memory.
const (
	MaxServices     = 2000
	MaxListBytes    = 4 << 20
	MaxServiceBytes = 16 << 20
)

// ValidPrefix reports whether name can be a service prefix: 1 to 64 lower-case letters, digits,
// hyphens and dots, starting with a letter or digit.
func ValidPrefix(name string) bool {
	if name == "" || len(name) > 64 || name[0] == '-' || name[0] == '.' {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// ListEntry is one entry of the service list.
type ListEntry struct {
	Service string `json:"service"`
	URL     string `json:"url"`
}

// ParseList reads the service list: [{"service": "s3", "url": ".../v1/s3/s3.json"}, ...].
func ParseList(data []byte) ([]ListEntry, error) {
	var list []ListEntry
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("service list: %v", err)
	}
	if len(list) == 0 {
		return nil, errors.New("service list is empty")
	}
	if len(list) > MaxServices {
		return nil, fmt.Errorf("service list has %d services; at most %d are read", len(list), MaxServices)
	}
	seen := map[string]bool{}
	for _, e := range list {
		if !ValidPrefix(e.Service) {
			return nil, fmt.Errorf("service list: %q is not a service prefix", e.Service)
		}
		if seen[e.Service] {
			return nil, fmt.Errorf("service list names %q twice", e.Service)
		}
		seen[e.Service] = true
	}
	return list, nil
}

type refService struct {
	Name    string `json:"Name"`
	Actions []struct {
		Name                string   `json:"Name"`
		ActionConditionKeys []string `json:"ActionConditionKeys"`
		Resources           []struct {
			Name          string   `json:"Name"`
			ConditionKeys []string `json:"ConditionKeys"`
		} `json:"Resources"`
	} `json:"Actions"`
	Resources []struct {
		Name          string   `json:"Name"`
		ARNFormats    []string `json:"ARNFormats"`
		ConditionKeys []string `json:"ConditionKeys"`
	} `json:"Resources"`
	ConditionKeys []struct {
		Name  string   `json:"Name"`
		Types []string `json:"Types"`
	} `json:"ConditionKeys"`
}

// ParseService reads one service's document. want, when not empty, is the prefix the list
// promised: a document for another service is an error.
func ParseService(data []byte, want string) (*Service, error) {
	var r refService
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, err
	}
	if !ValidPrefix(r.Name) {
		return nil, fmt.Errorf("%q is not a service prefix", r.Name)
	}
	if want != "" && r.Name != want {
		return nil, fmt.Errorf("document is for service %q, not %q", r.Name, want)
	}
	s := &Service{Name: r.Name, Resources: make([]Resource, len(r.Resources))}
	byName := map[string]*Resource{}
	for i, res := range r.Resources {
		s.Resources[i] = Resource{Name: res.Name, ARNFormats: res.ARNFormats, Keys: res.ConditionKeys}
		byName[res.Name] = &s.Resources[i]
	}
	for _, k := range r.ConditionKeys {
		key := Key{Name: k.Name}
		single, multi := false, false
		for _, t := range k.Types {
			typ, m, ok := parseKeyType(t)
			if !ok {
				continue // a type this version does not know: the key is checked by name only
			}
			key.Type |= typ
			if m {
				multi = true
			} else {
				single = true
			}
		}
		switch {
		case single && multi:
			key.Valued = Either
		case multi:
			key.Valued = Multi
		}
		s.Keys = append(s.Keys, key)
	}
	seen := map[string]bool{}
	for _, a := range r.Actions {
		lower := strings.ToLower(a.Name)
		if a.Name == "" || seen[lower] {
			continue
		}
		seen[lower] = true
		act := Action{Name: a.Name, Keys: a.ActionConditionKeys}
		for _, ar := range a.Resources {
			act.Resources = append(act.Resources, ActionResource{Resource: byName[ar.Name], Keys: ar.ConditionKeys})
		}
		s.Actions = append(s.Actions, act)
	}
	sortService(s)
	return s, nil
}

// FS is what a folder in AWS's format is read through: policylint's confined file opener, or
// the file system as it is (OS).
type FS interface {
	// ReadFile reads a regular file of at most max bytes.
	ReadFile(path string, max int64) ([]byte, error)
	Stat(path string) (fs.FileInfo, error)
}

// OS reads the file system as it is.
type OS struct{}

// ReadFile reads a regular file of at most max bytes.
func (OS) ReadFile(path string, max int64) ([]byte, error) { return readFile(path, max) }

// Stat describes a file.
func (OS) Stat(path string) (fs.FileInfo, error) { return os.Stat(path) }

// Load reads a service reference in AWS's format from a directory: service-list.json (or
// v1/service-list.json) and one document per service beside it, named <prefix>.json or
// <prefix>/<prefix>.json. The catalogue's date is the list's modification day.
func Load(fsys FS, dir string) (*Catalog, error) {
	base := dir
	listPath := filepath.Join(base, "service-list.json")
	info, err := fsys.Stat(listPath)
	if err != nil {
		base = filepath.Join(dir, "v1")
		listPath = filepath.Join(base, "service-list.json")
		if info, err = fsys.Stat(listPath); err != nil {
			return nil, fmt.Errorf("%s: no service-list.json (or v1/service-list.json): not a service reference folder", dir)
		}
	}
	data, err := fsys.ReadFile(listPath, MaxListBytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", listPath, err)
	}
	list, err := ParseList(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", listPath, err)
	}
	var services []*Service
	for _, e := range list {
		path := filepath.Join(base, e.Service+".json")
		if _, err := fsys.Stat(path); errors.Is(err, fs.ErrNotExist) {
			path = filepath.Join(base, e.Service, e.Service+".json")
		}
		data, err := fsys.ReadFile(path, MaxServiceBytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		s, err := ParseService(data, e.Service)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		services = append(services, s)
	}
	c := FromServices(info.ModTime().UTC().Format(time.DateOnly), AWSSource, "", services)
	c.Origin = dir
	return c, nil
}

// readFile reads a regular file of at most limit bytes. Its errors do not name the file: the
// callers do, once, as fsroot's do not either.
func readFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, bare(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, bare(err)
	}
	if !info.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	b, err := readLimited(f, limit)
	return b, bare(err)
}

// bare is an error without the path an *fs.PathError adds.
func bare(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func readLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("larger than %d MiB", limit>>20)
	}
	return b, nil
}

// ReadSupplement reads a list of newer action names, one "service:Action<TAB>access level" a
// line, # for comments.
func ReadSupplement(r io.Reader) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		action, _, _ := strings.Cut(line, "\t")
		prefix, name, ok := strings.Cut(action, ":")
		if !ok || !ValidPrefix(prefix) || name == "" {
			return nil, fmt.Errorf("line %d: %q is not service:Action", n, action)
		}
		out = append(out, action)
	}
	return out, sc.Err()
}

// AddSupplement merges newer action names into services: an unknown action of a known service is
// added as a Supplement action, an unknown service as a Partial one.
func AddSupplement(services []*Service, actions []string) []*Service {
	byName := map[string]*Service{}
	for _, s := range services {
		byName[s.Name] = s
	}
	names := map[*Service]map[string]bool{} // lower-cased action names of the services touched
	for _, a := range actions {
		prefix, name, _ := strings.Cut(a, ":")
		s := byName[prefix]
		if s == nil {
			s = &Service{Name: prefix, Partial: true}
			byName[prefix] = s
			services = append(services, s)
		}
		if names[s] == nil {
			names[s] = map[string]bool{}
			for _, a := range s.Actions {
				names[s][strings.ToLower(a.Name)] = true
			}
		}
		if lower := strings.ToLower(name); !names[s][lower] {
			names[s][lower] = true
			s.Actions = append(s.Actions, Action{Name: name, Supplement: true})
		}
	}
	for s := range names {
		sortService(s)
	}
	return services
}
