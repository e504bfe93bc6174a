import type { Request, Response } from 'express';
import { newTemplateId } from '../ids.ts';
import type { SandboxState } from '../state.ts';
import { createTemplate, deleteTemplates, listTemplates } from '../store/templates.ts';
import { authenticate } from './caller.ts';
import { graphErrors } from './errors.ts';
import { graphParams, type Params, stringParam } from './params.ts';
import { managedWaba } from './scoped-objects.ts';

export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
const NAME = /^[a-z0-9_]{1,512}$/;
const LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2})?$/;

function required(params: Params, name: string): string {
  const value = stringParam(params, name);
  if (value === undefined || value === '') throw graphErrors.missingParameter(name);
  return value;
}

/**
 * `POST /{waba_id}/message_templates`: a new template goes to review as `PENDING`; the control
 * API decides it (`POST /sandbox/control/templates/{id}/review`) and sends Meta's status webhook.
 */
export function createTemplateHandler(state: SandboxState) {
  return async (req: Request<{ id: string }>, res: Response) => {
    const params = graphParams(req);
    const caller = await authenticate(state, req, params);
    const waba = await managedWaba(state, caller, req.params.id, 'POST');
    const name = required(params, 'name');
    if (!NAME.test(name))
      throw graphErrors.invalidParameter('Param name must be lowercase letters, digits and _');
    const language = required(params, 'language');
    if (!LANGUAGE.test(language))
      throw graphErrors.invalidParameter('Param language must be a language code, e.g. en_US');
    const category = required(params, 'category').toUpperCase();
    if (!(TEMPLATE_CATEGORIES as readonly string[]).includes(category))
      throw graphErrors.invalidParameter(`Param category must be one of {${TEMPLATE_CATEGORIES.join(', ')}}`);
    const components = params.components;
    if (!Array.isArray(components) || components.length === 0 || components.length > 10)
      throw graphErrors.invalidParameter('Param components must be a non-empty array');
    const id = newTemplateId();
    const created = await createTemplate(
      state.query,
      waba.id,
      { id, name, language, category, status: 'PENDING', components },
      state.deps.clock.now(),
    );
    if (!created)
      throw graphErrors.invalidParameter(`Message template "${name}" already exists in ${language}`);
    res.json({ id, status: 'PENDING', category });
  };
}

/** A page's end as Graph's opaque `after` cursor; anything that does not decode is an invalid parameter. */
const encodeAfter = (t: { name: string; language: string }) =>
  Buffer.from(JSON.stringify([t.name, t.language])).toString('base64url');

function decodeAfter(cursor: string | undefined): { name: string; language: string } | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string'))
      return { name: value[0] as string, language: value[1] as string };
  } catch {
    // Falls through to the error below.
  }
  throw graphErrors.invalidParameter('Param after must be a cursor this list returned');
}

/**
 * `GET /{waba_id}/message_templates`, filtered by name (part of it), status, category and
 * language, `limit` per page (default 25): while there are more, `paging.next` is the URL of the
 * next page and `paging.cursors.after` its cursor, as Graph pages.
 */
export function listTemplatesHandler(state: SandboxState) {
  return async (req: Request<{ id: string }>, res: Response) => {
    const params = graphParams(req);
    const caller = await authenticate(state, req, params);
    const waba = await managedWaba(state, caller, req.params.id, 'GET');
    const limit = Math.min(Math.max(Number(stringParam(params, 'limit') ?? 25) || 25, 1), 1000);
    const after = decodeAfter(stringParam(params, 'after'));
    const rows = await listTemplates(
      state.query,
      waba.id,
      {
        name: stringParam(params, 'name'),
        status: stringParam(params, 'status')?.toUpperCase(),
        category: stringParam(params, 'category')?.toUpperCase(),
        language: stringParam(params, 'language'),
      },
      limit + 1,
      after,
    );
    const page = rows.slice(0, limit);
    const first = page[0];
    const last = page.at(-1);
    const cursors = {
      before: first ? encodeAfter(first) : 'MAZDZD',
      after: last ? encodeAfter(last) : 'MjQZD',
    };
    let next: string | undefined;
    if (rows.length > limit && last) {
      const url = new URL(req.originalUrl, `${req.protocol}://${req.get('host') ?? 'localhost'}`);
      url.searchParams.set('after', cursors.after);
      url.searchParams.delete('access_token');
      next = url.toString();
    }
    res.json({
      data: page.map((t) => ({
        id: t.id,
        name: t.name,
        language: t.language,
        status: t.status,
        category: t.category,
        components: t.components,
        ...(t.rejected_reason ? { rejected_reason: t.rejected_reason } : {}),
      })),
      paging: { cursors, ...(next ? { next } : {}) },
    });
  };
}

/** `DELETE /{waba_id}/message_templates?name=`: every language of the name. */
export function deleteTemplatesHandler(state: SandboxState) {
  return async (req: Request<{ id: string }>, res: Response) => {
    const params = graphParams(req);
    const caller = await authenticate(state, req, params);
    const waba = await managedWaba(state, caller, req.params.id, 'DELETE');
    const name = required(params, 'name');
    if ((await deleteTemplates(state.query, waba.id, name)) === 0)
      throw graphErrors.invalidParameter(`Message template "${name}" not found`);
    res.json({ success: true });
  };
}
