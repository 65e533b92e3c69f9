"""Report service: the daily report for admins, in French or English, by e-mail and stored."""
