-- Escalation reasons become codes (askedForPerson, flowChoice, flowStep); their texts live in
-- src/core/messages.ts. Older tickets kept sentences: the flow's own words or the pressed label
-- move to context.note.
UPDATE tickets SET context = jsonb_set(context, '{reason}', '"askedForPerson"')
  WHERE context->>'reason' = 'resident asked for a person';
UPDATE tickets SET context = context || jsonb_strip_nulls(jsonb_build_object('reason', 'flowChoice', 'note', substring(context->>'reason' from '^pressed "(.*)" in ')))
  WHERE context->>'reason' LIKE 'pressed "%" in %';
UPDATE tickets SET context = context || jsonb_build_object('reason', 'flowStep', 'note', context->>'reason')
  WHERE context ? 'reason' AND context->>'reason' NOT IN ('askedForPerson', 'flowChoice', 'flowStep');
