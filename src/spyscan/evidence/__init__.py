"""The only code that touches input paths: read-only access, private copies, custody hashes."""
