// The not-found page: only the shared parts (the logout button).
import './lib.js';
