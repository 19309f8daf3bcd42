"""Pure mapping functions from Heimveg's models to fhir.resources R4B objects, one module per
area. They read models and never write; access and audit are the caller's business."""
