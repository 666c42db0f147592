// plot_history in a project without the optional plotting packages: a clear error at the plot.
const { keras } = await import('keras-like');
try {
  await keras.utils.plot_history({ history: { loss: [1, 0.5] } }, { path: 'loss.png' });
  console.log('plotted');
} catch (error) {
  console.log(error.message);
}
