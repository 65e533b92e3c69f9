"""Code every Datastats service uses: settings, contracts, messaging, storage, database."""
