"""Pages of the technology exchange, by audience: the public catalogue and fairs
(`public`), posting and following one's own offers and demands (`posting`), and the
brokers' pages (`brokerage`)."""
