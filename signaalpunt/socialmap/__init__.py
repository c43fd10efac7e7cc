"""The social map (sociale kaart): each team's local initiatives that a person can be referred to."""
