"""The good-neighbour network: an anonymised call through the map's trusted partners, volunteers who sign up,
the nearest few picked, and the person's address shared only with them and only after consent."""
