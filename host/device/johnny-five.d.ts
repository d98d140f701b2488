declare module 'johnny-five';
