"""Form building blocks shared by the blueprints: the base form, validators, and the report form."""
