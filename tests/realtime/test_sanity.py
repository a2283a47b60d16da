def test_participant_submits_idea_and_facilitator_sees_it(app, facilitator, make_workshop, make_round, join_participant, sio):
    code = make_workshop(facilitator.user["id"])
    round_id = make_round(code, "brainstorm", open_=True)
    phone = join_participant(code)
    p = sio("/participant", phone, code)
    f = sio("/facilitator", facilitator, code)
    d = sio("/display", app.test_client(), code)
    assert p.is_connected("/participant") and f.is_connected("/facilitator") and d.is_connected("/display")
    ack = p.emit("submit_idea", {"round_id": round_id, "op_id": "op-00000001", "title": "Digital care pathway"}, namespace="/participant", callback=True)
    assert ack["ok"] is True, ack
    got = [m for m in f.get_received("/facilitator") if m["name"] == "idea_added"]
    assert got and got[0]["args"][0]["title"] == "Digital care pathway"
    got = [m for m in d.get_received("/display") if m["name"] == "idea_added"]
    assert got
