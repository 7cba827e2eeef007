import { mount } from 'svelte';
import App from './App.svelte';
import { start } from './lib/start';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

export default start().then(({ error }) => mount(App, { target, props: { startError: error } }));
