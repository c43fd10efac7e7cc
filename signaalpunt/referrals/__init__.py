"""Referrals to initiatives on the social map: suggestions, the warm handover and its link, the card for the
person, and the check six weeks later whether help landed."""
