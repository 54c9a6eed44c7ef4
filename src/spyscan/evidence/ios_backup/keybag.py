"""The backup keybag (``Manifest.plist`` ``BackupKeyBag``) and the password-derived key.

The keybag is a sequence of TLV items (4-byte ASCII tag, 4-byte big-endian length, value). The first
items describe the keybag (``UUID``, ``SALT``, ``ITER``, and on iOS 10.2+ ``DPSL``/``DPIC``); each
later ``UUID`` starts one class key (``CLAS``, ``WRAP``, ``KTYP``, ``WPKY``). The password gives the
key-encryption key with PBKDF2-HMAC-SHA256 (DPSL, DPIC) followed by PBKDF2-HMAC-SHA1 (SALT, ITER);
class keys whose ``WRAP`` has the passcode bit are AES-key-unwrapped (RFC 3394) with it.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap

from spyscan.errors import EvidenceError
from spyscan.texts import tr

WRAP_PASSCODE = 2
_INT_TAGS = frozenset({"VERS", "TYPE", "WRAP", "ITER", "DPWT", "DPIC", "CLAS", "KTYP"})
# the analyst often has the phone's passcode at hand, and the two get mixed up
WRONG_PASSWORD = tr("wrong iOS backup password: the backup could not be unlocked with it. It is the password chosen "
                    "when \"Encrypt local backup\" was turned on (in Finder, the Apple Devices app or iTunes), not "
                    "the iPhone's passcode. If nobody remembers it, ask for a sysdiagnose instead; on the iPhone, "
                    "Settings > General > Transfer or Reset iPhone > Reset > Reset All Settings removes the backup "
                    "password without erasing data, but it changes the phone's settings: weigh it first")


@dataclass
class ClassKey:
    clas: int = 0
    wrap: int = 0
    wrapped: bytes = b""
    uuid: bytes = b""


@dataclass
class Keybag:
    uuid: bytes = b""
    salt: bytes = b""
    iterations: int = 0
    dp_salt: bytes | None = None
    dp_iterations: int | None = None
    class_keys: list[ClassKey] = field(default_factory=list)

    @classmethod
    def parse(cls, blob: bytes) -> Keybag:
        bag = cls()
        current: ClassKey | None = None
        pos = 0
        while pos + 8 <= len(blob):
            tag = blob[pos:pos + 4].decode("ascii", errors="replace")
            (length,) = struct.unpack(">I", blob[pos + 4:pos + 8])
            value = blob[pos + 8:pos + 8 + length]
            if len(value) != length:
                raise EvidenceError(tr('the backup keybag is truncated'))
            pos += 8 + length
            number = int.from_bytes(value, "big") if tag in _INT_TAGS and length == 4 else None
            if tag == "UUID":
                if not bag.uuid:
                    bag.uuid = value
                    continue
                current = ClassKey(uuid=value)
                bag.class_keys.append(current)
            elif current is not None:
                if tag == "CLAS" and number is not None:
                    current.clas = number
                elif tag == "WRAP" and number is not None:
                    current.wrap = number
                elif tag == "WPKY":
                    current.wrapped = value
            elif tag == "SALT":
                bag.salt = value
            elif tag == "ITER" and number is not None:
                bag.iterations = number
            elif tag == "DPSL":
                bag.dp_salt = value
            elif tag == "DPIC" and number is not None:
                bag.dp_iterations = number
        if not bag.salt or bag.iterations <= 0 or not bag.class_keys:
            raise EvidenceError(tr('the backup keybag is incomplete (no salt, iteration count or class keys)'))
        return bag

    def derive(self, password: str) -> bytes:
        """The key-encryption key for ``password`` (the slow step: millions of PBKDF2 rounds)."""
        secret = password.encode("utf-8")
        if self.dp_salt is not None and self.dp_iterations:
            secret = hashlib.pbkdf2_hmac("sha256", secret, self.dp_salt, self.dp_iterations, 32)
        return hashlib.pbkdf2_hmac("sha1", secret, self.salt, self.iterations, 32)

    def unlock(self, passcode_key: bytes) -> dict[int, bytes]:
        """Class keys by protection class; EvidenceError (wrong password) when they do not unwrap."""
        keys: dict[int, bytes] = {}
        for item in self.class_keys:
            if not item.wrap & WRAP_PASSCODE or not item.wrapped:
                continue
            try:
                keys[item.clas] = aes_key_unwrap(passcode_key, item.wrapped)
            except (InvalidUnwrap, ValueError) as exc:
                raise EvidenceError(WRONG_PASSWORD) from exc
        if not keys:
            raise EvidenceError(tr('the backup keybag holds no password-protected class keys'))
        return keys
