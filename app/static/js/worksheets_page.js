// The facilitator's view of a worksheet round: every worksheet, editable live.
import { connect } from './live.js';
import { mountWorksheets } from './worksheet.js';

const root = document.getElementById('worksheets');
const sheets = JSON.parse(document.getElementById('worksheets-data').textContent);
let onSaved = () => {};
const live = connect('/facilitator', root.dataset.code, { on: { worksheet_field: (msg) => onSaved(msg) } });
onSaved = mountWorksheets(root, sheets, { send: (event, payload, cb) => live.request(event, payload).then(cb) });
