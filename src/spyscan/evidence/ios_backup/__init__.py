"""iTunes/Finder/libimobiledevice backups: layout, Manifest.db, file blobs, keybag and decryption.

``session.BackupSession`` is the entry point used by the ``ios-backup`` kind and by
``spyscan decrypt-backup``; the other modules are its parts.
"""
