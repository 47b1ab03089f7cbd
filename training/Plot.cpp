//===- Plot.cpp - log.csv of a qnn-train run and its accuracy plot --------===//

#include "Plot.h"

#include "ExportedStudent.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace qnn::train {

const char *const kTrainingLogHeader =
    "stage,layer,epoch,lr,train_loss,train_accuracy,validation_accuracy,"
    "validation_mode,seconds,images_per_s";

//===----------------------------------------------------------------------===//
// Reading log.csv
//===----------------------------------------------------------------------===//

namespace {

std::vector<std::string> splitFields(const std::string &line) {
  std::vector<std::string> fields;
  std::stringstream stream(line);
  std::string field;
  while (std::getline(stream, field, ','))
    fields.push_back(field);
  if (!line.empty() && line.back() == ',')
    fields.push_back("");
  return fields;
}

/// Parses one data line into `row`; the reason when it is malformed.
std::string parseRow(const std::string &line, LogRow &row) {
  std::vector<std::string> f = splitFields(line);
  if (f.size() != 10)
    return "expected 10 comma-separated fields (" +
           std::string(kTrainingLogHeader) + "), got " +
           std::to_string(f.size());
  static const std::vector<std::string> names = splitFields(kTrainingLogHeader);
  double values[10] = {};
  for (int i = 0; i < 10; ++i) {
    if (i == 7)
      continue;
    char *end = nullptr;
    values[i] = std::strtod(f[i].c_str(), &end);
    bool integral = i > 2 || values[i] == std::floor(values[i]);
    if (f[i].empty() || *end != '\0' || !std::isfinite(values[i]) ||
        !integral)
      return names[i] + " '" + f[i] + "' is not " +
             (i <= 2 ? "an integer" : "a number");
  }
  if (f[7] != "integer" && f[7] != "float")
    return "validation_mode '" + f[7] + "' is not 'integer' or 'float'";
  row = {int(values[0]), int(values[1]), int(values[2]), values[3], values[4],
         values[5],      values[6],      f[7] == "integer", values[8], values[9]};
  return "";
}

} // namespace

Expected<std::vector<LogRow>> readTrainingLog(const std::string &path) {
  using Result = Expected<std::vector<LogRow>>;
  std::ifstream in(path);
  if (!in)
    return Result::failure(path + ": cannot read");
  std::vector<LogRow> rows;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    auto fail = [&](const std::string &why) {
      return Result::failure(path + ":" + std::to_string(number) + ": " + why);
    };
    if (number == 1 && line != kTrainingLogHeader)
      return fail("not a qnn-train log: expected the header '" +
                  std::string(kTrainingLogHeader) + "'");
    if (number == 1 || line.empty())
      continue;
    LogRow row;
    std::string why = parseRow(line, row);
    if (!why.empty())
      return fail(why);
    rows.push_back(row);
  }
  if (in.bad())
    return Result::failure(path + ": cannot read");
  return rows;
}

//===----------------------------------------------------------------------===//
// The SVG
//===----------------------------------------------------------------------===//

namespace {

// The canvas: the accuracy panel above the loss panel, the legend right.
const double kWidth = 1040, kHeight = 600;
const double kLeft = 80, kRight = 800;
const double kAccTop = 60, kAccBottom = 380;
const double kLossTop = 420, kLossBottom = 540;
const double kLegendX = 820;

std::string fixed(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", v);
  return buffer;
}

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", v);
  return buffer;
}

std::string escapeXml(const std::string &text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    default: out += c;
    }
  }
  return out;
}

/// Consecutive rows of one step of the plan: [first, last].
struct Step {
  size_t first, last;
  int stage, layer;
};

std::vector<Step> stepsOf(const std::vector<LogRow> &rows) {
  std::vector<Step> steps;
  for (size_t k = 0; k < rows.size(); ++k) {
    if (steps.empty() || steps.back().stage != rows[k].stage ||
        steps.back().layer != rows[k].layer)
      steps.push_back({k, k, rows[k].stage, rows[k].layer});
    steps.back().last = k;
  }
  return steps;
}

const char *stageColour(int stage) {
  static const char *const colours[] = {"#1f77b4", "#9467bd", "#ff7f0e",
                                        "#d62728"};
  return colours[std::clamp(stage, 0, 3)];
}

std::string stepLabel(const Step &step) {
  switch (step.stage) {
  case 0: return "teacher";
  case 1: return "init";
  // Layer 0: a whole-network step (the direct ablation or the QAT baseline).
  case 2: return step.layer > 0 ? "L" + std::to_string(step.layer) : "all";
  default: return "fine-tune";
  }
}

/// A tick step of 1, 2 or 5 times a power of ten giving at most maxTicks.
double tickStep(double range, int maxTicks) {
  double step = std::pow(10.0, std::floor(std::log10(range / maxTicks)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (range / (m * step) <= maxTicks)
      return m * step;
  return 10 * step;
}

/// Maps values of [lo, hi] to the pixel rows [bottom, top].
struct Axis {
  double lo, hi, top, bottom;
  double y(double v) const { return bottom - (v - lo) / (hi - lo) * (bottom - top); }
};

class Svg {
public:
  void line(double x1, double y1, double x2, double y2, const std::string &style) {
    os << "<line x1=\"" << fixed(x1) << "\" y1=\"" << fixed(y1) << "\" x2=\""
       << fixed(x2) << "\" y2=\"" << fixed(y2) << "\" " << style << "/>\n";
  }
  void text(double x, double y, const std::string &content,
            const std::string &style) {
    os << "<text x=\"" << fixed(x) << "\" y=\"" << fixed(y) << "\" " << style
       << ">" << escapeXml(content) << "</text>\n";
  }
  void rect(double x, double y, double w, double h, const std::string &style) {
    os << "<rect x=\"" << fixed(x) << "\" y=\"" << fixed(y) << "\" width=\""
       << fixed(w) << "\" height=\"" << fixed(h) << "\" " << style << "/>\n";
  }
  void circle(double x, double y, double r, const std::string &style) {
    os << "<circle cx=\"" << fixed(x) << "\" cy=\"" << fixed(y) << "\" r=\""
       << fixed(r) << "\" " << style << "/>\n";
  }
  void polyline(const std::vector<std::pair<double, double>> &points,
                const std::string &style) {
    if (points.size() < 2)
      return;
    os << "<polyline points=\"";
    for (size_t i = 0; i < points.size(); ++i)
      os << (i ? " " : "") << fixed(points[i].first) << ","
         << fixed(points[i].second);
    os << "\" fill=\"none\" " << style << "/>\n";
  }
  std::ostringstream os;
};

/// Horizontal grid lines with labels, and the panel's frame and title.
void drawAxis(Svg &svg, const Axis &axis, double step, const std::string &title) {
  for (double v = axis.lo; v <= axis.hi + step / 1000; v += step) {
    svg.line(kLeft, axis.y(v), kRight, axis.y(v), "stroke=\"#dddddd\"");
    svg.text(kLeft - 6, axis.y(v) + 4, number(v), "text-anchor=\"end\"");
  }
  svg.rect(kLeft, axis.top, kRight - kLeft, axis.bottom - axis.top,
           "fill=\"none\" stroke=\"#333333\"");
  double middle = (axis.top + axis.bottom) / 2;
  svg.text(24, middle, title,
           "text-anchor=\"middle\" transform=\"rotate(-90 24 " + fixed(middle) +
               ")\"");
}

} // namespace

std::string renderAccuracyPlot(const std::vector<LogRow> &rows,
                               const std::string &title) {
  std::vector<Step> steps = stepsOf(rows);
  double slot = (kRight - kLeft) / double(rows.size());
  auto x = [&](size_t k) { return kLeft + (double(k) + 0.5) * slot; };
  auto trains = [](const LogRow &row) { return row.epoch > 0; };

  // The teacher's reference: its best validation epoch, which stage 0 keeps.
  double teacher = -1;
  for (const LogRow &row : rows)
    if (row.stage == 0)
      teacher = std::max(teacher, row.validationAccuracy);

  double low = 100, high = 0, maxLoss = 0;
  for (const LogRow &row : rows) {
    low = std::min(low, row.validationAccuracy);
    high = std::max(high, row.validationAccuracy);
    if (trains(row)) {
      low = std::min(low, row.trainAccuracy);
      high = std::max(high, row.trainAccuracy);
      maxLoss = std::max(maxLoss, row.trainLoss);
    }
  }
  Axis acc{std::floor(std::max(0.0, low) / 10) * 10,
           std::min(100.0, std::ceil(high / 10) * 10), kAccTop, kAccBottom};
  if (acc.hi - acc.lo < 10)
    acc.lo = std::max(0.0, acc.hi - 10);
  if (acc.hi - acc.lo < 10)
    acc.hi = acc.lo + 10;
  double accStep = tickStep(acc.hi - acc.lo, 10);
  double lossStep = tickStep(maxLoss > 0 ? maxLoss : 1, 4);
  Axis loss{0, std::max(1.0, std::ceil(maxLoss / lossStep)) * lossStep,
            kLossTop, kLossBottom};

  Svg svg;
  svg.os << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth
         << "\" height=\"" << kHeight << "\" viewBox=\"0 0 " << kWidth << " "
         << kHeight << "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  svg.rect(0, 0, kWidth, kHeight, "fill=\"white\"");
  svg.text(kLeft, 28, title, "font-size=\"16\" font-weight=\"bold\"");

  // One band per step, in its stage's colour, labelled above the panel.
  for (const Step &step : steps) {
    double x0 = kLeft + double(step.first) * slot;
    double width = double(step.last - step.first + 1) * slot;
    std::string fill = std::string("fill=\"") + stageColour(step.stage) +
                       "\" fill-opacity=\"0.08\"";
    svg.rect(x0, kAccTop, width, kAccBottom - kAccTop, fill);
    svg.rect(x0, kLossTop, width, kLossBottom - kLossTop, fill);
    if (step.first > 0) {
      svg.line(x0, kAccTop, x0, kAccBottom, "stroke=\"#999999\" stroke-dasharray=\"2,3\"");
      svg.line(x0, kLossTop, x0, kLossBottom, "stroke=\"#999999\" stroke-dasharray=\"2,3\"");
    }
    svg.text(x0 + width / 2, kAccTop - 8, stepLabel(step),
             std::string("text-anchor=\"middle\" font-size=\"11\" fill=\"") +
                 stageColour(step.stage) + "\"");
  }
  drawAxis(svg, acc, accStep, "accuracy (%)");
  drawAxis(svg, loss, lossStep, "train loss");

  // Epoch ticks: every one, or every n-th when there are many.
  size_t every = std::max<size_t>(1, (rows.size() + 29) / 30);
  for (size_t k = 0; k < rows.size(); k += every) {
    svg.line(x(k), kLossBottom, x(k), kLossBottom + 4, "stroke=\"#333333\"");
    svg.text(x(k), kLossBottom + 17, std::to_string(k + 1),
             "text-anchor=\"middle\" font-size=\"11\"");
  }
  svg.text((kLeft + kRight) / 2, kLossBottom + 40,
           "epoch (all steps in order; bands: teacher, init, L<i> = stage 2 "
           "layer i, all = direct or QAT, fine-tune)",
           "text-anchor=\"middle\"");

  if (teacher >= 0) {
    svg.line(kLeft, acc.y(teacher), kRight, acc.y(teacher),
             "stroke=\"#333333\" stroke-width=\"1.5\" stroke-dasharray=\"8,4\"");
    char label[64];
    std::snprintf(label, sizeof label, "FP-BN teacher %.2f%%", teacher);
    svg.text(kRight - 4, acc.y(teacher) - 5, label, "text-anchor=\"end\"");
  }

  // Validation across all steps in grey, under each step's own series.
  std::vector<std::pair<double, double>> progression;
  for (size_t k = 0; k < rows.size(); ++k)
    progression.push_back({x(k), acc.y(rows[k].validationAccuracy)});
  svg.polyline(progression, "stroke=\"#999999\" stroke-width=\"1\"");

  // The series of each step, in its stage's colour.
  for (const Step &step : steps) {
    std::string colour = stageColour(step.stage);
    std::vector<std::pair<double, double>> validation, train, losses;
    for (size_t k = step.first; k <= step.last; ++k) {
      validation.push_back({x(k), acc.y(rows[k].validationAccuracy)});
      if (trains(rows[k])) {
        train.push_back({x(k), acc.y(rows[k].trainAccuracy)});
        losses.push_back({x(k), loss.y(rows[k].trainLoss)});
      }
    }
    svg.polyline(train, "stroke=\"" + colour +
                            "\" stroke-width=\"1.5\" stroke-dasharray=\"5,3\"");
    svg.polyline(validation, "stroke=\"" + colour + "\" stroke-width=\"2\"");
    svg.polyline(losses, "stroke=\"" + colour + "\" stroke-width=\"1.5\"");
    for (const auto &[px, py] : train)
      svg.circle(px, py, 2, "fill=\"" + colour + "\"");
    for (const auto &[px, py] : losses)
      svg.circle(px, py, 2, "fill=\"" + colour + "\"");
    for (size_t k = step.first; k <= step.last; ++k)
      svg.circle(x(k), acc.y(rows[k].validationAccuracy), 4,
                 "stroke=\"" + colour + "\" stroke-width=\"1.5\" fill=\"" +
                     (rows[k].integerValidation ? colour : "white") + "\"");
  }

  // The legend.
  double y = kAccTop + 10;
  auto entry = [&](const std::string &label) {
    svg.text(kLegendX + 30, y + 4, label, "");
    y += 22;
  };
  svg.circle(kLegendX + 12, y, 4, "stroke=\"#333333\" stroke-width=\"1.5\" fill=\"#333333\"");
  entry("validation, integer simulation");
  svg.circle(kLegendX + 12, y, 4, "stroke=\"#333333\" stroke-width=\"1.5\" fill=\"white\"");
  entry("validation, float");
  svg.line(kLegendX, y, kLegendX + 24, y, "stroke=\"#333333\" stroke-width=\"1.5\" stroke-dasharray=\"5,3\"");
  entry("train accuracy");
  svg.line(kLegendX, y, kLegendX + 24, y, "stroke=\"#333333\" stroke-width=\"1.5\" stroke-dasharray=\"8,4\"");
  entry("FP-BN teacher, best validation");
  y += 10;
  static const char *const stageNames[] = {
      "stage 0: FP teacher with BN", "stage 1: local initialisation",
      "stage 2: progressive / direct / QAT", "stage 3: integer fine-tune"};
  for (int stage = 0; stage < 4; ++stage) {
    svg.rect(kLegendX, y - 6, 24, 12,
             std::string("fill=\"") + stageColour(stage) + "\"");
    entry(stageNames[stage]);
  }
  svg.os << "</svg>\n";
  return svg.os.str();
}

Expected<std::string> writeAccuracyPlot(const std::string &runDir) {
  using Result = Expected<std::string>;
  std::string csv = runDir + "/log.csv", path = runDir + "/accuracy.svg";
  auto rows = readTrainingLog(csv);
  if (!rows)
    return Result::failure(rows.error());
  if (rows->empty())
    return Result::failure(csv + ": no epochs logged yet");
  auto written = writeFileAtomically(
      path, renderAccuracyPlot(*rows, "qnn-train: accuracy per stage (" + csv + ")"));
  if (!written)
    return Result::failure(written.error());
  return path;
}

} // namespace qnn::train
