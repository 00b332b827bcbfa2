"""Guard: phishing and malware warnings, hostile-message warnings, evidence packs."""
