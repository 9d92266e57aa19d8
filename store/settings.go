package store

import (
	"bytes"
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Settings of a data directory (the user's detection rules, counsel
// addresses...) live in the meta bucket under "setting:" + name, so that
// every command working on the directory sees the same ones.
var settingPrefix = []byte("setting:")

// Setting returns the value of setting name, or nil when it is not set.
func (db *DB) Setting(ctx context.Context, name string) ([]byte, error) {
	var v []byte
	err := db.view(ctx, func(tx *bolt.Tx) error {
		v = bytes.Clone(tx.Bucket(bucketMeta).Get(append(bytes.Clone(settingPrefix), name...)))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read setting %s: %w", name, err)
	}
	return v, nil
}

// PutSetting sets setting name to v; a nil or empty v removes it.
func (db *DB) PutSetting(ctx context.Context, name string, v []byte) error {
	err := db.update(ctx, func(tx *bolt.Tx) error {
		key := append(bytes.Clone(settingPrefix), name...)
		meta := db.journaled(tx, bucketMeta)
		if len(v) == 0 {
			return meta.Delete(key)
		}
		return meta.Put(key, v)
	})
	if err != nil {
		return fmt.Errorf("write setting %s: %w", name, err)
	}
	return nil
}
