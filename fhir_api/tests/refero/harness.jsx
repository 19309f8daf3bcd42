// A form system's page as Helsenorge's would be: Refero renders the Questionnaire, and on "send"
// the host adds what only it knows (the collaboration point, the subject, status completed) and
// posts the QuestionnaireResponse to Heimveg's FHIR API. window.referoHost is set by the test.
import React from "react";
import { createRoot } from "react-dom/client";
import { Provider } from "react-redux";
import { Refero, store } from "@helsenorge/refero";
import "@helsenorge/designsystem-react/scss/helsenorge.scss";

const host = window.referoHost;

async function send(response) {
  const body = {
    ...response,
    status: "completed",
    subject: { reference: `Patient/${host.patient}` },
    extension: [
      ...(response.extension || []),
      { url: host.pointExtension, valueReference: { reference: `Task/${host.point}` } },
    ],
  };
  if (host.relative) body.source = { reference: `RelatedPerson/${host.relative}` };
  const answer = await fetch("/fhir/QuestionnaireResponse", {
    method: "POST",
    headers: {
      Authorization: `Bearer ${host.token}`,
      "Content-Type": "application/fhir+json",
      Accept: "application/fhir+json",
    },
    body: JSON.stringify(body),
  });
  window.referoSent = { refero: response, status: answer.status, body: await answer.json() };
  document.getElementById("sent").textContent = `sent ${answer.status}`;
}

const noop = () => {};
createRoot(document.getElementById("form")).render(
  <Provider store={store}>
    <Refero
      questionnaire={host.questionnaire}
      resources={host.resources}
      onSubmit={send}
      onSave={noop}
      onCancel={noop}
      authorized
      loginButton={<span />}
      language={host.language === "en" ? "en-gb" : "nb-no"}
      validationSummaryPlacement={undefined}
    />
  </Provider>
);
