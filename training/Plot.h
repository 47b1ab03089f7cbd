//===- Plot.h - log.csv of a qnn-train run and its accuracy plot ----------===//
//
// qnn-train logs one row per epoch of every stage to log.csv and draws
// accuracy.svg beside it: validation accuracy per epoch across the stages
// (one coloured band per step, labelled), train accuracy and loss, and the
// FP-BN teacher's best validation accuracy as a reference line. Plain SVG
// text, no LibTorch and no plotting library.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_TRAINING_PLOT_H
#define QNN_TRAINING_PLOT_H

#include "Expected.h"

#include <string>
#include <vector>

namespace qnn::train {

/// The first line of log.csv: its columns, in order.
extern const char *const kTrainingLogHeader;

/// One row of log.csv: one epoch of one step of the plan.
struct LogRow {
  int stage = 0;  // 0 teacher, 1 local init, 2 progressive / direct, 3 fine-tune
  int layer = 0;  // stage 2: the layer being replaced, 1-based; else 0
  int epoch = 0;  // 1-based; 0 for a step that trains nothing (stage 1)
  double lr = 0, trainLoss = 0, trainAccuracy = 0, validationAccuracy = 0;
  bool integerValidation = false; // validated in exact integer simulation
  double seconds = 0, imagesPerSecond = 0;
};

/// Reads a log.csv; errors name the file and line.
Expected<std::vector<LogRow>> readTrainingLog(const std::string &path);

/// The plot of `rows` (at least one) as an SVG document.
std::string renderAccuracyPlot(const std::vector<LogRow> &rows,
                               const std::string &title);

/// Reads `runDir`/log.csv and writes `runDir`/accuracy.svg (write, then
/// rename); returns the SVG's path.
Expected<std::string> writeAccuracyPlot(const std::string &runDir);

} // namespace qnn::train

#endif // QNN_TRAINING_PLOT_H
