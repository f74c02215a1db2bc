"""The e-mail channel over the network: mail accounts per inbox, secrets in the OS keyring,
IMAP fetching, the outbox and the SMTP sender, SASL XOAUTH2.

Plain Python like every service (no Qt); the window runs the fetcher and the sender on worker
threads, the CLI runs one pass of either.
"""
