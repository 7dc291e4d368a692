package catalog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// DefaultURL is AWS's service reference endpoint: the list of services, each with the URL of its
// document (https://docs.aws.amazon.com/service-authorization/latest/reference/service-reference.html).
const DefaultURL = "https://servicereference.us-east-1.amazonaws.com/"

// fetchWorkers is how many service documents are fetched at once.
const fetchWorkers = 8

// Fetch downloads the service reference: the list at listURL, then every service's document.
// Documents must be on the list's scheme and host: a list cannot send policylint elsewhere. Any
// failure fails the whole fetch, so that a catalogue is never half of one.
func Fetch(ctx context.Context, client *http.Client, listURL string) ([]*Service, error) {
	base, err := url.Parse(listURL)
	if err != nil || base.Scheme != "https" && base.Scheme != "http" || base.Host == "" {
		return nil, fmt.Errorf("%q is not an http(s) URL", listURL)
	}
	data, err := get(ctx, client, base.String(), MaxListBytes)
	if err != nil {
		return nil, err
	}
	list, err := ParseList(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", base, err)
	}
	urls := make([]string, len(list))
	for i, e := range list {
		u, err := base.Parse(e.URL)
		if err != nil || e.URL == "" || u.Scheme != base.Scheme || u.Host != base.Host {
			return nil, fmt.Errorf("%s: the list gives %q for %s, which is not on %s://%s", base, e.URL, e.Service, base.Scheme, base.Host)
		}
		urls[i] = u.String()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	services := make([]*Service, len(list))
	errs := make([]error, len(list))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(fetchWorkers, len(list)) {
		wg.Go(func() {
			for i := range jobs {
				data, err := get(ctx, client, urls[i], MaxServiceBytes)
				if err == nil {
					services[i], err = ParseService(data, list[i].Service)
					if err != nil {
						err = fmt.Errorf("%s: %v", urls[i], err)
					}
				}
				if err != nil {
					errs[i] = err
					cancel()
				}
			}
		})
	}
	for i := range list {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil && !errors.Is(err, context.Canceled) {
		return nil, err
	}
	for i, s := range services {
		if s == nil {
			return nil, fmt.Errorf("%s: not fetched", urls[i])
		}
	}
	return services, nil
}

// get fetches one document of at most limit bytes.
func get(ctx context.Context, client *http.Client, u string, limit int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", u, resp.Status)
	}
	b, err := readLimited(resp.Body, limit)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", u, err)
	}
	return b, nil
}

// CachePath is where `policylint catalog update` keeps the catalogue: policylint/catalog.bin in
// the user's cache folder (os.UserCacheDir).
func CachePath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "policylint", "catalog.bin"), nil
}

// Save writes services in the compact form to path atomically: to a temporary file beside it,
// synced, then renamed over it, so that a reader sees the old catalogue or the new one, never a
// part.
func Save(path, date, source, note string, services []*Service) error {
	var b bytes.Buffer
	if err := Encode(&b, date, source, note, services); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".catalog-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing to remove
	if _, err := tmp.Write(b.Bytes()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Open reads a catalogue through fsys: a file in the compact form (such as the cache), or a
// folder in AWS's format.
func Open(fsys FS, path string) (*Catalog, error) {
	info, err := fsys.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return Load(fsys, path)
	}
	data, err := fsys.ReadFile(path, MaxCatalogBytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	c, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	c.Origin = path
	return c, nil
}

// Today is the date a fetched catalogue is given, in UTC.
func Today() string { return time.Now().UTC().Format(time.DateOnly) }
