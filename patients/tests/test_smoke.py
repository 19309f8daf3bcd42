def test_it_lists_patients_for_the_coordinator(client_for, personas, patient):
    response = client_for(personas["coordinator"]).get("/patients/")
    assert response.status_code == 200
    assert "Pasient, Test" in response.content.decode()
