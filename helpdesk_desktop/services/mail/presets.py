"""Settings of the common mail providers, for the Inboxes dialog."""

from __future__ import annotations

from dataclasses import dataclass

from helpdesk_desktop.domain.enums import MailAuth, MailSecurity


@dataclass(frozen=True)
class Preset:
    key: str
    name: str
    imap_host: str
    imap_port: int
    imap_security: MailSecurity
    smtp_host: str
    smtp_port: int
    smtp_security: MailSecurity
    auth: MailAuth
    oauth_provider: str | None
    note: str


PRESETS: tuple[Preset, ...] = (
    Preset("gmail", "Gmail", "imap.gmail.com", 993, MailSecurity.TLS, "smtp.gmail.com", 465,
           MailSecurity.TLS, MailAuth.XOAUTH2, "google",
           "Google accounts sign in with OAuth2 in the browser."),
    Preset("microsoft365", "Microsoft 365", "outlook.office365.com", 993, MailSecurity.TLS,
           "smtp.office365.com", 587, MailSecurity.STARTTLS, MailAuth.XOAUTH2, "microsoft",
           "Microsoft 365 accounts sign in with OAuth2 in the browser."),
    Preset("fastmail", "Fastmail", "imap.fastmail.com", 993, MailSecurity.TLS,
           "smtp.fastmail.com", 465, MailSecurity.TLS, MailAuth.PASSWORD, None,
           "Use an app password (Fastmail › Settings › Privacy & Security)."),
    Preset("icloud", "iCloud", "imap.mail.me.com", 993, MailSecurity.TLS, "smtp.mail.me.com",
           587, MailSecurity.STARTTLS, MailAuth.PASSWORD, None,
           "Use an app-specific password (appleid.apple.com)."),
    Preset("generic", "Other (IMAP/SMTP)", "", 993, MailSecurity.TLS, "", 587,
           MailSecurity.STARTTLS, MailAuth.PASSWORD, None,
           "Enter the servers your mail provider gives."),
)
