// Start-up: the router is given every screen (the only module that knows them all), then the
// shell asks Rust where we are.

import { route, start } from "./app";
import { provideScreens } from "./router";
import { intakeScreen } from "./screens/intake";
import { openIntake, patientsScreen } from "./screens/patients";
import { reviewScreen } from "./screens/review";
import { summaryScreen } from "./screens/summary";

provideScreens({
  route,
  patients: patientsScreen,
  openIntake,
  intakeForm: intakeScreen,
  review: reviewScreen,
  summary: summaryScreen,
});
start();
