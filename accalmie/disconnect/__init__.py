"""Right to disconnect: working hours, held mail, digests, send-later and the live watch."""
