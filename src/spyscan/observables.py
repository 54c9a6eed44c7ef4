"""Observable types: what a record field holds, as far as indicator matching is concerned."""

from __future__ import annotations

from enum import StrEnum


class Obs(StrEnum):
    """The type of a value found in evidence that can be matched against indicators."""

    DOMAIN = "domain"  # a host name
    URL = "url"  # a full URL: matched exactly as url and by its host as domain
    TEXT = "text"  # free text: every URL and host name inside it is matched
    IP = "ip"  # IPv4 or IPv6 address
    EMAIL = "email"
    PROCESS = "process"  # a process name or executable path (basename compared)
    FILE_PATH = "file_path"  # a path on the device
    FILE_NAME = "file_name"  # a file's base name
    MD5 = "md5"
    SHA1 = "sha1"
    SHA256 = "sha256"
    APP_ID = "app_id"  # Android package name / iOS bundle id
    CERT_MD5 = "cert_md5"
    CERT_SHA1 = "cert_sha1"
    CERT_SHA256 = "cert_sha256"
    ANDROID_PROPERTY = "android_property"  # a system property name
    PROFILE_ID = "profile_id"  # iOS configuration profile identifier / UUID
