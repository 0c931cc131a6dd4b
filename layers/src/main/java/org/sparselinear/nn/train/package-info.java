/**
 * Training without writing the loop: {@link org.sparselinear.nn.train.Trainer} fits a model on a
 * {@link org.sparselinear.data.Dataset}, evaluates it ({@link org.sparselinear.nn.train.Metrics})
 * and predicts ({@link org.sparselinear.nn.train.Predictor}, safe to call from several threads);
 * {@link org.sparselinear.nn.train.TrainingListener}s follow the run: a progress bar, per-epoch
 * callbacks, a JSON record, checkpoints and early stopping.
 */
package org.sparselinear.nn.train;
