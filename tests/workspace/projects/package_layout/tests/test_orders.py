def test_lines(client) -> None:
    order_id = 7
    client.get(f"/api/orders/{order_id}/lines/2")
    client.post("/api/reports/daily?day=monday")
